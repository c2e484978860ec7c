#include "harness/accounting.h"
#include "harness/attribution.h"
#include "netns/ifindex.h"
#include "builders.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace xdplab;

namespace {

const auto tp = test::tracepoint;

std::set<uint32_t> ids(uint32_t from, uint32_t to)
{
	std::set<uint32_t> out;
	for (uint32_t s = from; s < to; ++s)
		out.insert(s);
	return out;
}

Flow sent(uint32_t n)
{
	Flow f;
	f.sent = ids(0, n);
	f.case_programs = {10, 11, 12};
	return f;
}

} // namespace

BOOST_AUTO_TEST_SUITE(accounting)

BOOST_AUTO_TEST_CASE(every_frame_delivered)
{
	Flow f = sent(4);
	f.delivered = ids(0, 4);
	auto a = account(f);
	BOOST_TEST(a.complete());
	BOOST_TEST(a.delivered == 4);
	BOOST_TEST(a.line() == "4 sent: 4 delivered");
}

BOOST_AUTO_TEST_CASE(a_lost_frame_is_never_accounted_for)
{
	Flow f = sent(4);
	f.delivered = ids(0, 3);
	auto a = account(f);
	BOOST_TEST(!a.complete());
	BOOST_TEST(a.unaccounted == 1);
	BOOST_TEST(a.line().find("1 NOT ACCOUNTED FOR") != std::string::npos, a.line());
	// A frame delivered that was not sent (another flow's) stands in for nothing.
	f.delivered.insert(99);
	BOOST_TEST(account(f).unaccounted == 1);
	// Nor does a success tracepoint.
	f.tracepoints = {tp("xdp_redirect", "prog_id=10 action=REDIRECT ifindex=1 to_ifindex=2 err=0")};
	BOOST_TEST(account(f).unaccounted == 1);
}

BOOST_AUTO_TEST_CASE(program_decisions_and_kernel_drops)
{
	// 0-1 dropped by a program (its own record), 2 by the entry program, 3 by the kernel.
	Flow f = sent(4);
	f.program_drops = {0, 1};
	f.program_abort_records = 1;
	f.entry_prog_drops = {2};
	f.tracepoints = {tp("xdp_exception", "prog_id=10 action=ABORTED ifindex=1"),
			 tp("xdp_redirect_err", "prog_id=10 action=REDIRECT ifindex=1 to_ifindex=0 err=-95")};
	auto a = account(f);
	BOOST_TEST(a.dropped_by_program == 2);
	BOOST_TEST(a.dropped_by_entry_prog == 1);
	BOOST_TEST(a.dropped_by_kernel == 1);
	BOOST_TEST(a.kernel_drops == (std::map<std::string, int>{{"xdp_redirect_err err=-95", 1}}));
	BOOST_TEST(a.complete());
}

BOOST_AUTO_TEST_CASE(an_abort_the_program_did_not_record_is_the_kernels_word)
{
	// A program of the case that records nothing: its XDP_ABORTED shows only
	// as xdp_exception, and that accounts for the frame as the program's drop.
	Flow f = sent(2);
	f.delivered = {0};
	f.tracepoints = {tp("xdp_exception", "prog_id=11 action=ABORTED ifindex=1")};
	auto a = account(f);
	BOOST_TEST(a.dropped_by_program == 1);
	BOOST_TEST(a.complete());
	// An exception of a program not known as the case's (a tail call's
	// target, say) is still the kernel's word on the frame.
	f.case_programs = {10};
	BOOST_TEST(account(f).kernel_drops == (std::map<std::string, int>{{"xdp_exception ABORTED", 1}}));
}

BOOST_AUTO_TEST_CASE(entry_program_drops_are_not_counted_twice)
{
	// 5.14+ counts an entry program's XDP_DROP also in xdp_devmap_xmit's drops:
	// that must not explain a frame nobody saw.
	Flow f = sent(2);
	f.entry_prog_drops = {0};
	f.entry_prog_drop_records = 1;
	f.tracepoints = {tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=1 to_ifindex=2 action=REDIRECT sent=0 drops=1 err=0")};
	auto a = account(f);
	BOOST_TEST(a.dropped_by_entry_prog == 1);
	BOOST_TEST(a.dropped_by_kernel == 0);
	BOOST_TEST(a.unaccounted == 1);
	// Pre-6.3 veth: the whole bulk dropped at transmit, err=-6.
	Flow g = sent(3);
	g.tracepoints = {tp("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=1 to_ifindex=2 action=REDIRECT sent=0 drops=3 err=-6")};
	BOOST_TEST(account(g).complete());
}

BOOST_AUTO_TEST_CASE(xdp_tx_dropped_or_parked_is_told_apart)
{
	// xdp-tx-icmp-echo without a program on the peer: each reply refused (-ENXIO)...
	Flow dropped = sent(10);
	for (int i = 0; i < 10; ++i)
		dropped.tracepoints.push_back(tp("xdp_bulk_tx", "ifindex=7 action=TX sent=0 drops=1 err=-6"));
	auto a = account(dropped);
	BOOST_TEST(a.complete());
	BOOST_TEST(a.parked == 0);
	BOOST_TEST(a.line() == "10 sent: 0 delivered, 10 dropped by the kernel (xdp_bulk_tx err=-6: 10)");
	// ...and with GRO on the peer: accepted into its ring, never polled.
	Flow parked = sent(10);
	for (int i = 0; i < 10; ++i)
		parked.tracepoints.push_back(tp("xdp_bulk_tx", "ifindex=7 action=TX sent=1 drops=0 err=0"));
	auto b = account(parked);
	BOOST_TEST(b.complete());
	BOOST_TEST(b.parked == 10);
	BOOST_TEST(b.parked_on == (std::set<int>{7}));
	BOOST_TEST(b.dropped_by_kernel == 0);
	// The line names the device when the subtest's links are known.
	parked.device_names = {{7, "fwd"}};
	BOOST_TEST(account(parked).line() ==
		   "10 sent: 0 delivered, 10 parked (accepted for transmission by fwd (ifindex 7), never received: "
		   "queued in the peer's ring, not polled)");
	// Accepted and delivered is not parked.
	parked.delivered = ids(0, 10);
	BOOST_TEST(account(parked).parked == 0);
}

BOOST_AUTO_TEST_CASE(kfree_skb_explains_a_frame_by_id_with_its_reason)
{
	Flow f = sent(3);
	f.delivered = {0};
	f.skb_drops = {{1, "IP_INADDRERRORS"}, {2, "IP_INADDRERRORS"}, {7, "NOT_SPECIFIED"}};
	auto a = account(f);
	BOOST_TEST(a.complete());
	BOOST_TEST(a.kernel_drops == (std::map<std::string, int>{{"kfree_skb IP_INADDRERRORS", 2}}));
	// A frame delivered and then dropped by the receiving stack was delivered.
	f.skb_drops[0] = "OTHERHOST";
	BOOST_TEST(account(f).delivered == 1);
	BOOST_TEST(account(f).dropped_by_kernel == 2);
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
