// Creating a declared Topology, step by step as its plan says
// (topology_plan.cpp): in-process over rtnetlink, iproute2 only for a line
// that rtnetlink.h does not speak.
#include "topology.h"

#include "command.h"
#include "ip_batch.h"
#include "netns_scope.h"
#include "rtnetlink.h"

#include <linux/if.h>

#include <chrono>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <thread>

namespace xdplab {

namespace {

// The kernel's refusal of one line, named as the line reads.
[[noreturn]] void refused(const std::string &ns, const std::vector<std::string> &line, const std::exception &e)
{
	std::vector<std::string> argv{"ip"};
	if (!ns.empty())
		argv.insert(argv.end(), {"-n", ns});
	argv.insert(argv.end(), line.begin(), line.end());
	const auto *r = dynamic_cast<const rtnl::Error *>(&e);
	throw std::runtime_error(shell_join(argv) + ": " +
				 (r ? std::string(strerror(r->err)) + (r->extack.empty() ? "" : " (" + r->extack + ")")
				    : std::string(e.what())));
}

} // namespace

void Topology::write_sysctl(const Sysctl &s) const
{
	// A kernel without IPv6 has no IPv6 chatter to silence.
	if (s.ipv6_off && !sysctl_exists_in(s.ns, "net.ipv6"))
		return;
	write_sysctl_in(s.ns, s.key, s.value);
}

int Topology::ifindex_named(const std::string &ns, const std::string &link) const
{
	for (const auto &[a, b] : veths_)
		for (const Link *l : {&a, &b})
			if (l->ns == ns && l->name == link)
				return l->ifindex;
	return ifindex_in(ns, link); // lo, or a link the kernel made
}

bool Topology::execute(const std::string &ns, const Line &l) const
{
	// The shapes the plan writes (namespace_lines, add_*): word positions are ours.
	auto is = [&](std::initializer_list<const char *> head, size_t size) {
		if (l.size() != size || size < head.size())
			return false;
		size_t i = 0;
		for (const char *w : head)
			if (l[i++] != w)
				return false;
		return true;
	};
	try {
		if (is({"link", "set", "dev"}, 5) && l[4] == "up") {
			rtnl::set_up(ns, l[3]);
		} else if (is({"address", "add"}, 5) && l[3] == "dev") {
			rtnl::add_address(ns, ifindex_named(ns, l[4]), l[2]);
		} else if (is({"neigh", "replace"}, 9) && l[3] == "lladdr" && l[5] == "dev") {
			rtnl::replace_neighbour(ns, ifindex_named(ns, l[6]), l[2], l[4]);
		} else if (is({"route", "replace"}, l.size())) {
			auto r = rtnl::parse_route(std::vector<std::string>(l.begin() + 2, l.end()));
			if (!r)
				return false;
			rtnl::replace_route(ns, *r, r->dev.empty() ? 0 : ifindex_named(ns, r->dev));
		} else {
			return false;
		}
	} catch (const std::exception &e) {
		refused(ns, l, e);
	}
	return true;
}

void Topology::wait_until_links_run() const
{
	// A veth end whose carrier came on still transmits into the noop qdisc
	// until the kernel's linkwatch work activates its queues: linkwatch_do_dev
	// sets operstate UP (rfc2863_policy) and then calls dev_activate. A frame
	// sent before that is dropped at __dev_queue_xmit (QDISC_DROP), which a
	// busy machine once turned into a "deviates" (10 frames, none past r_in).
	// Operstate UP on every end is the kernel's word that the work ran.
	using clock = std::chrono::steady_clock;
	const auto deadline = clock::now() + std::chrono::seconds(10); // a TCG guest's linkwatch is slow, not stuck
	for (const auto &[a, b] : veths_)
		for (const Link *l : {&a, &b})
			for (int state = -1;;) {
				state = rtnl::link_state(l->ns, l->ifindex).operstate;
				if (state == IF_OPER_UP)
					break;
				if (clock::now() > deadline)
					throw std::runtime_error("topology: " + l->name + " in " + l->ns +
								 " did not come up within 10 s (operstate " +
								 std::to_string(state) + ")");
				std::this_thread::sleep_for(std::chrono::milliseconds(1));
			}
}

void Topology::apply()
{
	if (applied_)
		throw std::logic_error("topology: apply() called twice");
	applied_ = true;
	if (dry_run_)
		return;
	// A namespace of that name that already exists is not ours: refuse before
	// creating anything, so teardown never deletes it.
	for (const auto &n : namespaces_)
		if (netns_exists(n.name))
			throw std::runtime_error("topology: namespace " + n.name + " already exists");
	// In-process over rtnetlink (rtnetlink.h): the same requests as the
	// lines commands() prints, without a process per namespace.
	for (const auto &n : namespaces_) {
		try {
			rtnl::add_netns(n.name);
		} catch (const std::exception &e) {
			refused("", netns_lines()[created_.size()], e);
		}
		created_.push_back(n.name);
	}
	for (const auto &s : sysctls(false))
		write_sysctl(s);
	for (size_t i = 0; i < veths_.size(); ++i) {
		const auto &[a, b] = veths_[i];
		try {
			rtnl::add_veth({a.ns, a.name, a.mac, a.ifindex, a.mtu}, {b.ns, b.name, b.mac, b.ifindex, b.mtu});
		} catch (const std::exception &e) {
			refused("", link_lines()[i], e);
		}
	}
	for (const auto &s : sysctls(true))
		write_sysctl(s);
	// A line beyond the shapes execute() knows (a route with more words
	// than prefix, via and dev) goes to iproute2 itself, in its turn.
	for (const auto &n : namespaces_)
		for (const auto &line : namespace_lines(n.name))
			if (!execute(n.name, line))
				run_ip_batch(n.name, {line});
	for (const auto &argv : ethtool_argvs()) {
		// The same ethtool, its child entering the namespace itself: one
		// process, not `ip` and then ethtool.
		std::vector<std::string> tool(argv.begin() + 4, argv.end());
		CommandResult r = run_command_in(argv[3], tool);
		if (r.exit_code != 0)
			throw CommandError(shell_join(argv), r);
	}
	wait_until_links_run();
}

} // namespace xdplab
