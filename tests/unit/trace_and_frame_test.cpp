#include "harness/frame.h"
#include "harness/trace_parse.h"
#include "netns/naming.h"

extern "C" {
#include <linux/types.h>
#include "bpf/xdplab_event.h"
}

#include <boost/test/unit_test.hpp>

using namespace xdplab;

BOOST_AUTO_TEST_SUITE(trace_parse)

BOOST_AUTO_TEST_CASE(parses_kernel_tracepoint_lines)
{
	auto r = parse_trace_line("          xdplab-5582    [000] ..s1.   986.951505: xdp_redirect_err: prog_id=115 "
				  "action=REDIRECT ifindex=2 to_ifindex=3 err=-95 map_id=45 map_index=0");
	BOOST_REQUIRE(r);
	BOOST_TEST(r->task == "xdplab-5582");
	BOOST_TEST(r->cpu == 0);
	BOOST_TEST(r->event == "xdp_redirect_err");
	auto f = trace_fields(r->body);
	BOOST_TEST(f["err"] == "-95");
	BOOST_TEST(f["prog_id"] == "115");
	BOOST_TEST(f["map_index"] == "0");

	auto x = parse_trace_line("  <idle>-0 [001] ..s2. 12.5: xdp_devmap_xmit: ndo_xdp_xmit from_ifindex=2 "
				  "to_ifindex=3 action=REDIRECT sent=0 drops=32 err=-6");
	BOOST_REQUIRE(x);
	BOOST_TEST(trace_fields(x->body)["drops"] == "32");
	BOOST_TEST(x->task == "<idle>-0");
	BOOST_TEST(x->timestamp == 12.5);

	// A task name with spaces and brackets; no flags column.
	auto y = parse_trace_line("kworker/u4:2 [x] y-77 [003] 5.000001: xdp_exception: prog_id=3 action=ABORTED");
	BOOST_REQUIRE(y);
	BOOST_TEST(y->task == "kworker/u4:2 [x] y-77");
	BOOST_TEST(y->cpu == 3);
	BOOST_TEST(y->event == "xdp_exception");
	BOOST_TEST(y->body == "prog_id=3 action=ABORTED");
	// Not trace lines.
	BOOST_TEST(!parse_trace_line("xdplab-1 [000] ..s1. 986: xdp_exception: x"));  // no fraction
	BOOST_TEST(!parse_trace_line("xdplab-1 [000] ..s1. 986.5 xdp_exception: x")); // no colon
	BOOST_TEST(!parse_trace_line("[000] 986.5: xdp_exception: x"));              // no task
	BOOST_TEST(!parse_trace_line("xdplab-1 [000] ..s1. 986.5: : x"));            // no event
	BOOST_TEST(!parse_trace_line(""));
}

BOOST_AUTO_TEST_CASE(parses_old_and_new_printk_lines_and_filters_by_run)
{
	// 5.8 trace_printk format from the seed PoC ("0:" instead of an event name).
	auto old = parse_trace_line("            ping-15882   [002] ..s1 25453.321016: 0:   stage=1: dev=2");
	BOOST_REQUIRE(old);
	BOOST_TEST(old->event == "0");
	BOOST_TEST(old->body == "  stage=1: dev=2");

	auto mine = parse_trace_line(
		"xdplab-5582 [000] ..s1. 986.9: bpf_trace_printk: xdplab 3ab1f0005: XDP ingress (stage=1)");
	BOOST_REQUIRE(mine);
	BOOST_TEST(stage_message(*mine, 0x03ab1f, 5).value() == "XDP ingress (stage=1)");
	BOOST_TEST(!stage_message(*mine, 0x03ab10, 5)); // another run
	BOOST_TEST(!stage_message(*mine, 0x03ab1f, 6)); // another subtest of this run
	BOOST_TEST(!parse_trace_line("# tracer: nop"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(frames)

BOOST_AUTO_TEST_CASE(tagged_frames_round_trip)
{
	FrameSpec s;
	s.src = parse_mac("02:58:4c:00:00:01");
	s.dst = parse_mac("02:58:4c:00:00:02");
	s.src_ip = ipv4("198.18.0.1");
	s.dst_ip = ipv4("198.18.200.1");
	s.run_id = 0xabcdef;
	s.case_id = 7;
	s.seq = 31;
	auto f = build_frame(s);
	BOOST_TEST(f.size() == XDPLAB_TAG_OFFSET + sizeof(struct xdplab_tag));
	auto t = parse_tag(f.data(), f.size());
	BOOST_REQUIRE(t);
	BOOST_TEST(t->run_id == 0xabcdefu);
	BOOST_TEST(t->case_id == 7u);
	BOOST_TEST(t->seq == 31u);
	BOOST_TEST(t->pkt_byte == XDPLAB_PKT_BYTE_START);
	// IPv4 header checksum verifies to zero.
	uint32_t sum = 0;
	for (size_t i = 14; i < 34; i += 2)
		sum += (f[i] << 8) | f[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	BOOST_TEST(sum == 0xffffu);
	BOOST_TEST(mac_str(s.src) == "02:58:4c:00:00:01");
}

BOOST_AUTO_TEST_CASE(foreign_frames_are_not_tagged)
{
	FrameSpec s;
	auto f = build_frame(s);
	f[XDPLAB_TAG_OFFSET] ^= 0xff; // magic broken
	BOOST_TEST(!parse_tag(f.data(), f.size()));
	auto g = build_frame(s);
	BOOST_TEST(!parse_tag(g.data(), 40)); // truncated
	g[12] = 0x86;                          // not IPv4
	BOOST_TEST(!parse_tag(g.data(), g.size()));
	BOOST_CHECK_THROW(parse_mac("02:58"), std::invalid_argument);
	BOOST_CHECK_THROW(ipv4("198.18.0"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(naming)

BOOST_AUTO_TEST_CASE(names_carry_the_run_id_and_fit_ifnamsiz)
{
	BOOST_TEST(netns_name("0a1b2c", "dut") == "xdplab-0a1b2c-dut");
	BOOST_TEST(link_name("0a1b2c", "snd") == "xl0a1b2c-snd");
	BOOST_TEST(link_name("0a1b2c", "abcdef").size() <= 15u);
	BOOST_CHECK_THROW(link_name("0a1b2c", "toolong"), std::invalid_argument);
	BOOST_TEST(run_id_of_netns("xdplab-0a1b2c-dut").value() == "0a1b2c");
	BOOST_TEST(run_id_of_link("xl0a1b2c-in").value() == "0a1b2c");
	BOOST_TEST(run_id_of_trace_instance("xdplab-0a1b2c").value() == "0a1b2c");
	// Nothing that is not ours matches.
	BOOST_TEST(!run_id_of_netns("xdplab-0a1b2c"));
	BOOST_TEST(!run_id_of_netns("other-0a1b2c-dut"));
	BOOST_TEST(!run_id_of_link("eth0"));
	BOOST_TEST(!run_id_of_link("xl0A1B2C-in"));
	BOOST_TEST(!run_id_of_trace_instance("xdplab-0a1b2c-x"));
	BOOST_TEST(is_run_id(new_run_id()));
}

BOOST_AUTO_TEST_SUITE_END()
