#include "netns/ifindex.h"
#include "netns/rtnetlink.h"
#include "netns/topology.h"

#include <sys/socket.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <climits>
#include <stdexcept>

using namespace xdplab;

namespace {

bool has(const std::vector<std::string> &v, const std::string &s)
{
	return std::find(v.begin(), v.end(), s) != v.end();
}

size_t position(const std::vector<std::string> &v, const std::string &s)
{
	auto it = std::find(v.begin(), v.end(), s);
	BOOST_REQUIRE_MESSAGE(it != v.end(), "missing: " + s);
	return static_cast<size_t>(it - v.begin());
}

} // namespace

BOOST_AUTO_TEST_SUITE(ifindex)

BOOST_AUTO_TEST_CASE(layout_and_round_trip)
{
	BOOST_TEST(run_slot(0xabcdefu) == 0x5efu);
	BOOST_TEST(run_slot(0xfff800u) == 0u);
	BOOST_TEST(harness_ifindex(0, 1, 0) == 0x10000020);
	BOOST_TEST(harness_ifindex(2, 3, 1) == 0x10000000 + (2 << 17) + (3 << 5) + 1);
	int top = harness_ifindex(2047, 4095, 31);
	BOOST_TEST(top == 0x1fffffff);
	BOOST_TEST(top < INT_MAX);
	for (uint32_t slot : {0u, 1u, 1024u, 2047u})
		for (uint32_t c : {1u, 2u, 4094u, 4095u})
			for (unsigned k : {0u, 1u, 30u, 31u}) {
				auto d = decode_harness_ifindex(harness_ifindex(slot, c, k));
				BOOST_REQUIRE(d);
				BOOST_TEST(std::get<0>(*d) == slot);
				BOOST_TEST(std::get<1>(*d) == c);
				BOOST_TEST(std::get<2>(*d) == k);
			}
}

BOOST_AUTO_TEST_CASE(bounds)
{
	BOOST_CHECK_THROW(harness_ifindex(0, 0, 0), std::out_of_range);
	BOOST_CHECK_THROW(harness_ifindex(0, 4096, 0), std::out_of_range);
	BOOST_CHECK_THROW(harness_ifindex(0, 1, 32), std::out_of_range);
	BOOST_CHECK_THROW(harness_ifindex(2048, 1, 0), std::out_of_range);
	BOOST_CHECK_NO_THROW(harness_ifindex(run_slot(0xffffffu), 4095, 31));
}

BOOST_AUTO_TEST_CASE(kernel_indexes_are_not_ours)
{
	for (int i : {0, 1, 2, 4, 1000, 0x0fffffff, 0x20000000, INT_MAX, -1})
		BOOST_TEST(!is_harness_ifindex(i), i);
	// Case 0 is never handed out, so its range is not ours either.
	BOOST_TEST(!is_harness_ifindex(0x10000000));
	BOOST_TEST(!is_harness_ifindex(0x10000000 + (5 << 17) + 31));
	BOOST_TEST(is_harness_ifindex(harness_ifindex(5, 1, 0)));
	BOOST_TEST(is_harness_ifindex(0x1fffffff));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(topology)

BOOST_AUTO_TEST_CASE(dry_run_commands_name_the_explicit_indexes)
{
	Topology t("abc123", "c7-", true);
	uint32_t slot = run_slot(0xabc123);
	int i0 = harness_ifindex(slot, 7, 0), i1 = harness_ifindex(slot, 7, 1);
	std::string a = t.add_namespace("snd"), b = t.add_namespace("dut");
	BOOST_TEST(a == "xdplab-abc123-c7-snd");
	auto [la, lb] = t.add_veth({a, "snd", "02:58:4c:00:00:01", i0}, {b, "in", "02:58:4c:00:00:02", i1, 1400});
	BOOST_TEST(la == "xlabc123-snd");
	BOOST_TEST(lb == "xlabc123-in");
	t.add_address(a, la, "198.18.0.1/24");
	t.add_neighbour(a, la, "198.18.0.2", "02:58:4c:00:00:02");
	t.set_offload(b, lb, "gro", true);
	t.apply(); // a dry run: nothing happens

	BOOST_TEST(t.ifindex(a, la) == i0);
	BOOST_TEST(t.ifindex(b, lb) == i1);
	BOOST_CHECK_THROW(t.ifindex(b, la), std::out_of_range);

	auto c = t.commands();
	for (const auto &line : c)
		BOOST_TEST_MESSAGE(line);
	const std::string s0 = std::to_string(i0), s1 = std::to_string(i1);
	size_t add_a = position(c, "ip netns add xdplab-abc123-c7-snd");
	position(c, "ip netns add xdplab-abc123-c7-dut");
	size_t v6 = position(c, "ip netns exec xdplab-abc123-c7-snd sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
	position(c, "ip netns exec xdplab-abc123-c7-dut sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
	size_t link = position(c, "ip link add xlabc123-snd netns xdplab-abc123-c7-snd index " + s0 +
					  " address 02:58:4c:00:00:01 type veth peer name xlabc123-in netns "
					  "xdplab-abc123-c7-dut index " + s1 + " address 02:58:4c:00:00:02 mtu 1400");
	position(c, "ip -n xdplab-abc123-c7-snd link set dev lo up");
	size_t up = position(c, "ip -n xdplab-abc123-c7-snd link set dev xlabc123-snd up");
	position(c, "ip -n xdplab-abc123-c7-dut link set dev xlabc123-in up");
	size_t addr = position(c, "ip -n xdplab-abc123-c7-snd address add 198.18.0.1/24 dev xlabc123-snd");
	size_t neigh = position(c, "ip -n xdplab-abc123-c7-snd neigh replace 198.18.0.2 lladdr 02:58:4c:00:00:02 "
				   "dev xlabc123-snd nud permanent");
	size_t gro = position(c, "ip netns exec xdplab-abc123-c7-dut ethtool -K xlabc123-in gro on");
	// The order apply() follows: IPv6 is off before any link exists.
	BOOST_TEST(add_a < v6);
	BOOST_TEST(v6 < link);
	BOOST_TEST(link < up);
	BOOST_TEST(up < addr);
	BOOST_TEST(addr < neigh);
	BOOST_TEST(neigh < gro);

	auto down = t.teardown_commands();
	BOOST_TEST(down.size() == 2u);
	BOOST_TEST(has(down, "ip netns del xdplab-abc123-c7-snd"));
	BOOST_TEST(has(down, "ip netns del xdplab-abc123-c7-dut"));
	BOOST_TEST(t.teardown().empty());
}

BOOST_AUTO_TEST_CASE(sysctls_that_name_a_link_follow_the_links)
{
	Topology t("abc123", "c1-", true);
	std::string ns = t.add_namespace("dut", NamespaceOptions{.ipv6 = true});
	t.sysctl(ns, "net.ipv4.conf.xlabc123-o0.rp_filter", "0");
	t.sysctl(ns, "net.core.bpf_jit_enable", "1");
	t.add_veth({ns, "o0", "02:58:4c:00:01:00", harness_ifindex(1, 1, 0)},
		   {ns, "r0", "02:58:4c:00:02:00", harness_ifindex(1, 1, 1)});
	t.set_mtu(ns, "xlabc123-r0", 9000);
	auto c = t.commands();
	size_t link = c.size();
	for (size_t i = 0; i < c.size(); ++i)
		if (c[i].rfind("ip link add ", 0) == 0)
			link = i;
	BOOST_REQUIRE(link < c.size());
	BOOST_TEST(c[link].find("name xlabc123-r0 netns xdplab-abc123-c1-dut index " +
				std::to_string(harness_ifindex(1, 1, 1)) + " address 02:58:4c:00:02:00 mtu 9000") !=
		   std::string::npos);
	const std::string exec = "ip netns exec xdplab-abc123-c1-dut sysctl -qw ";
	BOOST_TEST(position(c, exec + "net.ipv6.conf.all.accept_dad=0") < link);
	BOOST_TEST(position(c, exec + "net.ipv6.conf.default.dad_transmits=0") < link);
	BOOST_TEST(position(c, exec + "net.ipv6.conf.all.disable_ipv6=0") < link);
	BOOST_TEST(!has(c, exec + "net.ipv6.conf.all.disable_ipv6=1"));
	BOOST_TEST(position(c, exec + "net.core.bpf_jit_enable=1") < link);
	BOOST_TEST(position(c, exec + "net.ipv4.conf.xlabc123-o0.rp_filter=0") > link);
}

BOOST_AUTO_TEST_CASE(bad_declarations_throw_at_once)
{
	Topology t("abc123", "c1-", true);
	std::string ns = t.add_namespace("dut");
	BOOST_CHECK_THROW(t.add_namespace("dut"), std::invalid_argument);
	int i0 = harness_ifindex(1, 1, 0), i1 = harness_ifindex(1, 1, 1);
	BOOST_CHECK_THROW(t.add_veth({ns, "o0", "02:58:4c:00:01:00", 0}, {ns, "r0", "02:58:4c:00:02:00", i1}),
			  std::invalid_argument);
	BOOST_CHECK_THROW(t.add_veth({ns, "o0", "bad mac", i0}, {ns, "r0", "02:58:4c:00:02:00", i1}),
			  std::invalid_argument);
	BOOST_CHECK_THROW(t.add_veth({"xdplab-abc123-c1-nope", "o0", "02:58:4c:00:01:00", i0},
				     {ns, "r0", "02:58:4c:00:02:00", i1}),
			  std::invalid_argument);
	auto [o0, r0] = t.add_veth({ns, "o0", "02:58:4c:00:01:00", i0}, {ns, "r0", "02:58:4c:00:02:00", i1});
	// The index ties trace lines to one link: never twice in a topology.
	BOOST_CHECK_THROW(t.add_veth({ns, "o1", "02:58:4c:00:01:01", i0},
				     {ns, "r1", "02:58:4c:00:02:01", harness_ifindex(1, 1, 3)}),
			  std::invalid_argument);
	BOOST_CHECK_THROW(t.add_address(ns, "xlabc123-zz", "198.18.1.1/24"), std::out_of_range);
	// A blank would split one batch word into two commands' worth of words.
	BOOST_CHECK_THROW(t.add_address(ns, o0, "198.18.1.1/24 dev lo"), std::invalid_argument);
	BOOST_CHECK_THROW(t.sysctl(ns, "net/../../etc", "1"), std::invalid_argument);
	t.apply();
	BOOST_CHECK_THROW(t.apply(), std::logic_error);
	BOOST_CHECK_THROW(t.add_address(ns, o0, "198.18.1.1/24"), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(route_words)

// The route lines apply() sends itself; everything else goes to iproute2.
BOOST_AUTO_TEST_CASE(prefix_via_dev_and_nothing_more)
{
	auto r = rtnl::parse_route({"198.18.2.0/24", "via", "198.18.1.1"});
	BOOST_REQUIRE(r);
	BOOST_TEST(r->family == AF_INET);
	BOOST_TEST(r->dst_len == 24);
	BOOST_TEST((r->dst == std::vector<unsigned char>{198, 18, 2, 0}));
	BOOST_TEST((r->gateway == std::vector<unsigned char>{198, 18, 1, 1}));
	BOOST_TEST(r->dev.empty());

	auto d = rtnl::parse_route({"default", "via", "fd00:0:0:1::1", "dev", "h1"});
	BOOST_REQUIRE(d);
	BOOST_TEST(d->family == AF_INET6);
	BOOST_TEST(d->dst_len == 0);
	BOOST_TEST(d->gateway.size() == 16u);
	BOOST_TEST(d->dev == "h1");

	auto host = rtnl::parse_route({"198.18.9.9", "dev", "x"}); // no length: a host route
	BOOST_REQUIRE(host);
	BOOST_TEST(host->dst_len == 32);
	BOOST_TEST(rtnl::parse_route({"::/0", "via", "fd00::1"})->dst_len == 0);

	BOOST_TEST(!rtnl::parse_route({"198.18.2.0/24", "via", "198.18.1.1", "metric", "5"}));
	BOOST_TEST(!rtnl::parse_route({"198.18.2.0/24", "via", "fd00::1"})); // families differ
	BOOST_TEST(!rtnl::parse_route({"198.18.2.0/24"}));                   // neither gateway nor device
	BOOST_TEST(!rtnl::parse_route({"198.18.2.0/33", "dev", "x"}));
	BOOST_TEST(!rtnl::parse_route({"default", "via"}));
	BOOST_TEST(!rtnl::parse_route({}));
}

BOOST_AUTO_TEST_SUITE_END()
