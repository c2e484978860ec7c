#include "harness/kernel_log.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

BOOST_AUTO_TEST_SUITE(kernel_log)

BOOST_AUTO_TEST_CASE(a_warn_report_is_one_splat_after_the_running_subtest)
{
	std::string console = "   [5.10] [3/24] egress-ifindex/native ... confirmed (600 ms)\n"
			      "[   12.3] ------------[ cut here ]------------\n"
			      "[   12.3] WARNING: CPU: 0 PID: 88 at kernel/bpf/devmap.c:123 bq_xmit_all+0x1/0x2\n"
			      "[   12.3] Modules linked in: veth\n"
			      "[   12.3] Call Trace:\n"
			      "[   12.3]  <IRQ>\n"
			      "[   12.3] ---[ end trace 0123 ]---\n"
			      "   [5.10] [4/24] egress-ifindex/generic ... confirmed (600 ms)\n";
	auto s = find_splats(console);
	BOOST_REQUIRE(s.size() == 1u); // the Call Trace line belongs to the same report
	BOOST_TEST(s[0].first_line.find("WARNING: CPU: 0") != std::string::npos);
	BOOST_TEST(s[0].after.find("[3/24] egress-ifindex/native") != std::string::npos);
	BOOST_TEST(s[0].context.find("Call Trace") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(other_kinds_and_the_expected_warning)
{
	BOOST_TEST(find_splats("BUG: kernel NULL pointer dereference, address: 0000000000000000\n").size() == 1u);
	BOOST_TEST(find_splats("watchdog: BUG: soft lockup - CPU#0 stuck for 22s!\n").size() == 1u);
	BOOST_TEST(find_splats("rcu: INFO: rcu_sched self-detected stall on CPU\n").size() == 1u);
	BOOST_TEST(find_splats("veth: Peer MTU is too large to set XDP\nxdplab: run 1a2b3c\n").empty());
	// Provoked and observed by devmap-egress-return-codes: not a failure.
	BOOST_TEST(find_splats("WARNING: CPU: 0 PID: 1 at net/core/filter.c:8000 bpf_warn_invalid_xdp_action+0x5/0x6\n"
			       "Call Trace:\n ---[ end trace 1 ]---\n")
			   .empty());
}

BOOST_AUTO_TEST_SUITE_END()
