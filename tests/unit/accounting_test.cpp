#include "harness/accounting.h"
#include "harness/attribution.h"
#include "netns/ifindex.h"
#include "builders.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace xdplab;

namespace {

const auto ev = [](uint32_t stage, uint32_t seq, int action = XDPLAB_NO_ACTION) { return test::event(stage, seq, action); };
const auto tp = test::tracepoint;

std::vector<CapturedFrame> frames(uint32_t from, uint32_t to)
{
	std::vector<CapturedFrame> out;
	for (uint32_t s = from; s < to; ++s)
		out.push_back({s, 57, {}});
	return out;
}

const ProgIds kProgs{10, 11, 12};

} // namespace

BOOST_AUTO_TEST_SUITE(accounting)

BOOST_AUTO_TEST_CASE(every_frame_delivered)
{
	auto a = account(4, {}, {{"target", frames(0, 4)}}, {}, kProgs);
	BOOST_TEST(a.complete());
	BOOST_TEST(a.delivered == 4);
}

BOOST_AUTO_TEST_CASE(a_lost_frame_is_never_accounted_for)
{
	auto a = account(4, {}, {{"target", frames(0, 3)}}, {}, kProgs);
	BOOST_TEST(!a.complete());
	BOOST_TEST(a.unaccounted == 1);
	// A duplicate of a delivered frame does not stand in for the lost one.
	auto b = account(4, {}, {{"target", frames(0, 3)}, {"other", frames(0, 1)}}, {}, kProgs);
	BOOST_TEST(b.unaccounted == 1);
}

BOOST_AUTO_TEST_CASE(program_decisions_and_kernel_drops)
{
	// Frames 0-1 dropped by the ingress program, 2 by the entry program, 3 by the kernel.
	std::vector<xdplab_event> events{ev(XDPLAB_STAGE_INGRESS_EXIT, 0, 1), ev(XDPLAB_STAGE_INGRESS_EXIT, 1, 0),
					 ev(XDPLAB_STAGE_INGRESS_EXIT, 2, 4), ev(XDPLAB_STAGE_EGRESS, 2, 1),
					 ev(XDPLAB_STAGE_INGRESS_EXIT, 3, 4)};
	std::vector<TraceRecord> tps{tp("xdp_exception", "prog_id=10 action=ABORTED ifindex=1"),
				     tp("xdp_redirect_err", "prog_id=10 action=REDIRECT ifindex=1 to_ifindex=0 err=-95")};
	auto a = account(4, events, {}, tps, kProgs);
	BOOST_TEST(a.dropped_by_program == 2);
	BOOST_TEST(a.dropped_by_entry_prog == 1);
	BOOST_TEST(a.dropped_by_kernel == 1);
	BOOST_TEST(a.complete());
}

BOOST_AUTO_TEST_CASE(entry_program_drops_are_not_counted_twice)
{
	// 5.14+ counts an entry program's XDP_DROP also in xdp_devmap_xmit's drops:
	// that must not explain a frame nobody saw.
	std::vector<xdplab_event> events{ev(XDPLAB_STAGE_EGRESS, 0, 1)};
	std::vector<TraceRecord> tps{tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=1 to_ifindex=2 action=REDIRECT sent=0 drops=1 err=0")};
	auto a = account(2, events, {}, tps, kProgs);
	BOOST_TEST(a.dropped_by_entry_prog == 1);
	BOOST_TEST(a.dropped_by_kernel == 0);
	BOOST_TEST(a.unaccounted == 1);
	// Pre-6.3 veth: the whole bulk dropped at transmit, err=-6.
	auto b = account(3, {}, {},
			 {tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=1 to_ifindex=2 action=REDIRECT sent=0 drops=3 err=-6")},
			 kProgs);
	BOOST_TEST(b.complete());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(attribution)

// The rule before run-unique ifindexes: a line without a program id was a
// subtest's when it named any of the subtest's ifindexes.
bool old_rule(const TraceRecord &r, const std::set<int> &ifindexes)
{
	auto f = trace_fields(r.body);
	for (const char *k : {"from_ifindex", "to_ifindex", "ifindex"})
		if (f.count(k) && ifindexes.count(static_cast<int>(std::strtol(f[k].c_str(), nullptr, 0))))
			return true;
	return false;
}

BOOST_AUTO_TEST_CASE(another_namespace_with_the_same_small_ifindexes_is_not_ours)
{
	// A foreign namespace (another tool, or a run of the old harness) whose
	// veths got the kernel's default indexes 2 and 3 drops redirected frames
	// while our subtest runs.
	TraceRecord foreign = tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=2 to_ifindex=3 action=REDIRECT sent=0 drops=32 err=-6");
	// The old bench's links had exactly those indexes: the old rule took the line.
	BOOST_TEST(old_rule(foreign, {2, 3, 4}));
	// Today's bench links have run-unique indexes, and both devices must be ours.
	uint32_t slot = run_slot(0xa1b2c3);
	SubtestIdentity me{0xa1b2c3, 5, {10, 11, 12}, {}};
	for (unsigned k = 0; k < 6; ++k)
		me.ifindexes.insert(harness_ifindex(slot, 5, k));
	BOOST_TEST(!is_subtests_tracepoint(foreign, me));
	int in = harness_ifindex(slot, 5, 0), o0 = harness_ifindex(slot, 5, 2);
	TraceRecord mine = tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=" + std::to_string(in) +
							 " to_ifindex=" + std::to_string(o0) + " sent=0 drops=32 err=-6");
	BOOST_TEST(is_subtests_tracepoint(mine, me));
	// Naming one of our devices is not enough (the old rule took it).
	TraceRecord half = tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=" + std::to_string(in) +
							 " to_ifindex=3 sent=0 drops=1 err=-6");
	BOOST_TEST(old_rule(half, me.ifindexes));
	BOOST_TEST(!is_subtests_tracepoint(half, me));
	// Another subtest of the same run: other indexes.
	SubtestIdentity sibling{0xa1b2c3, 6, {20}, {harness_ifindex(slot, 6, 0), harness_ifindex(slot, 6, 2)}};
	BOOST_TEST(!is_subtests_tracepoint(mine, sibling));
}

BOOST_AUTO_TEST_CASE(lines_with_a_program_id_go_by_the_id)
{
	SubtestIdentity me{1, 1, {10, 11}, {}};
	BOOST_TEST(is_subtests_tracepoint(tp("xdp_redirect_err", "prog_id=11 action=REDIRECT ifindex=2 err=-95"), me));
	BOOST_TEST(!is_subtests_tracepoint(tp("xdp_redirect_err", "prog_id=99 action=REDIRECT ifindex=2 err=-95"), me));
	BOOST_TEST(!is_subtests_tracepoint(tp("bpf_trace_printk", "xdplab 10001: stage=1"), me));
}

BOOST_AUTO_TEST_SUITE_END()
