// The pieces that keep evidence honest when subtests run in parallel threads:
// libbpf messages per thread, trace buffer losses, XDP feature replies.
#include "harness/libbpf_log.h"
#include "harness/tracefs.h"
#include "harness/xdp_features.h"

#include <bpf/libbpf.h>

#include <boost/test/unit_test.hpp>

#include <barrier>
#include <cerrno>
#include <string>
#include <thread>
#include <vector>

using namespace xdplab;

namespace {
// libbpf logs "elf: '<name>' is not a proper ELF object" at warning level:
// a message of our choosing, without root or a BPF object.
void open_garbage(const std::string &name)
{
	static const char junk[64] = "not an ELF object";
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name.c_str());
	bpf_object *obj = bpf_object__open_mem(junk, sizeof(junk), &opts);
	if (!libbpf_get_error(obj))
		bpf_object__close(obj);
}

std::vector<uint8_t> unhex(const std::string &hex)
{
	std::vector<uint8_t> out;
	for (size_t i = 0; i + 1 < hex.size(); i += 2)
		out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
	return out;
}
} // namespace

BOOST_AUTO_TEST_SUITE(libbpf_log)

BOOST_AUTO_TEST_CASE(captures_what_this_thread_caused)
{
	LibbpfLogCapture log;
	open_garbage("xdplab_solo");
	BOOST_TEST(log.text().find("'xdplab_solo' is not a proper ELF object") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(threads_capturing_at_once_do_not_see_each_other)
{
	constexpr int rounds = 200;
	std::barrier both(2);
	std::string seen[2];
	bool clean[2] = {true, true};
	auto worker = [&](int me) {
		std::string mine = me ? "xdplab_b" : "xdplab_a", theirs = me ? "xdplab_a" : "xdplab_b";
		for (int i = 0; i < rounds; ++i) {
			LibbpfLogCapture log;
			both.arrive_and_wait(); // both captures open before either logs
			open_garbage(mine + "_" + std::to_string(i));
			both.arrive_and_wait(); // and both have logged before either reads
			std::string t = log.text();
			if (t.find(theirs) != std::string::npos ||
			    t.find("'" + mine + "_" + std::to_string(i) + "'") == std::string::npos)
				clean[me] = false;
			seen[me] = t;
		}
	};
	std::thread a(worker, 0), b(worker, 1);
	a.join();
	b.join();
	BOOST_TEST(clean[0]);
	BOOST_TEST(clean[1]);
	BOOST_TEST(seen[0].find("xdplab_a_199") != std::string::npos);
	BOOST_TEST(seen[1].find("xdplab_b_199") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(outside_a_capture_nothing_is_kept)
{
	open_garbage("xdplab_uncaptured");
	LibbpfLogCapture log;
	BOOST_TEST(log.text().empty());
}

BOOST_AUTO_TEST_CASE(nested_captures_see_their_own_part)
{
	LibbpfLogCapture outer;
	open_garbage("xdplab_outer");
	{
		LibbpfLogCapture inner;
		open_garbage("xdplab_inner");
		BOOST_TEST(inner.text().find("xdplab_outer") == std::string::npos);
		BOOST_TEST(inner.text().find("xdplab_inner") != std::string::npos);
	}
	BOOST_TEST(outer.text().find("xdplab_outer") != std::string::npos);
	BOOST_TEST(outer.text().find("xdplab_inner") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(trace_losses)

BOOST_AUTO_TEST_CASE(cpu_stats_sum_every_kind_of_loss)
{
	// per_cpu/cpu0/stats of a 6.18 instance
	const std::string stats = "entries: 137\n"
				  "overrun: 6935\n"
				  "commit overrun: 2\n"
				  "bytes: 7548\n"
				  "oldest event ts:   740.834903\n"
				  "now ts:  1053.116906\n"
				  "dropped events: 5\n"
				  "read events: 40\n";
	BOOST_TEST(lost_in_cpu_stats(stats) == 6942ULL);
	BOOST_TEST(lost_in_cpu_stats("entries: 0\noverrun: 0\ncommit overrun: 0\nbytes: 0\n") == 0ULL);
	// Keys must match whole: "read events" and "entries" are not losses.
	BOOST_TEST(lost_in_cpu_stats("entries: 9\nread events: 9\n") == 0ULL);
	BOOST_TEST(lost_in_cpu_stats("") == 0ULL);
}

BOOST_AUTO_TEST_CASE(trace_pipe_lost_lines)
{
	BOOST_TEST(lost_events_line("CPU:1 [LOST 12 EVENTS]").value_or(0) == 12ULL);
	BOOST_TEST(lost_events_line("CPU:0 [LOST EVENTS]").value_or(0) == 1ULL);
	BOOST_TEST(!lost_events_line("  <idle>-0 [001] ..s2. 12.5: xdp_devmap_xmit: sent=0 drops=32 err=-6"));
	BOOST_TEST(!lost_events_line("ping-1 [002] ..s1 2.3: bpf_trace_printk: CPU:1 [LOST 3 EVENTS]"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(xdp_features_reply)

// NETDEV_CMD_DEV_GET replies captured on 6.18 for a veth whose peer has GRO
// on, and for the same veth with GRO off (family id 0x14, seq 2).
const std::string kVethGroOn = "400000001400000002000000163300000101000008000100020000000c0003006700000000000000"
			       "0c00050007000000000000000c0006000000000000000000";
const std::string kVethGroOff = "400000001400000002000000e93200000101000008000100020000000c0003002300000000000000"
				"0c00050007000000000000000c0006000000000000000000";

BOOST_AUTO_TEST_CASE(reads_the_feature_mask_of_a_dev_get_reply)
{
	auto on = unhex(kVethGroOn);
	auto r = parse_genl_reply(on.data(), on.size(), 2);
	BOOST_TEST(r.error == 0);
	BOOST_TEST(xdp_features_of(r).value_or(0) == 0x67ULL);
	BOOST_TEST(xdp_feature_names(*xdp_features_of(r)) ==
		   (std::vector<std::string>{"basic", "redirect", "ndo-xmit", "rx-sg", "ndo-xmit-sg"}),
		   boost::test_tools::per_element());

	auto off = unhex(kVethGroOff);
	auto r2 = parse_genl_reply(off.data(), off.size(), 2);
	BOOST_TEST(xdp_feature_names(xdp_features_of(r2).value_or(0)) ==
		   (std::vector<std::string>{"basic", "redirect", "rx-sg"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(names_every_bit_in_kernel_order)
{
	BOOST_TEST(xdp_feature_names(0x7f) ==
		   (std::vector<std::string>{"basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg",
					     "ndo-xmit-sg"}),
		   boost::test_tools::per_element());
	BOOST_TEST(xdp_feature_names(0x81) == (std::vector<std::string>{"basic", "bit7"}),
		   boost::test_tools::per_element());
	BOOST_TEST(xdp_feature_names(0).empty());
}

BOOST_AUTO_TEST_CASE(errors_carry_errno_and_the_kernels_message)
{
	// CTRL_CMD_GETFAMILY for a family the kernel lacks: what a pre-6.3 kernel answers for "netdev".
	auto nofam = unhex("38000000020000000100000047340000feffffff24000000100001000100000000000000030100000e00"
			   "02006e6f7375636866616d000000");
	auto r = parse_genl_reply(nofam.data(), nofam.size(), 1);
	BOOST_TEST(r.error == ENOENT);
	BOOST_TEST(r.message.empty());
	BOOST_TEST(!xdp_features_of(r));

	// DEV_GET with a malformed ifindex, with extended ack attributes after the echoed request.
	auto bad = unhex("840000000200000202000000ee340000eaffffff24000000140001000200000000000000010100000c00"
			 "01000000000005000000000000001d000100696e76616c696420617474726962757465206c656e677468"
			 "000000000800020014000000240004800c00040001000000000000000c000500ffffffff000000000800"
			 "010004000000");
	auto e = parse_genl_reply(bad.data(), bad.size(), 2);
	BOOST_TEST(e.error == EINVAL);
	BOOST_TEST(e.message == "invalid attribute length");
}

BOOST_AUTO_TEST_CASE(refuses_replies_that_do_not_answer_or_do_not_parse)
{
	auto on = unhex(kVethGroOn);
	BOOST_CHECK_THROW(parse_genl_reply(on.data(), on.size(), 3), std::runtime_error);
	BOOST_CHECK_THROW(parse_genl_reply(on.data(), on.size() - 4, 2), std::runtime_error);
	BOOST_CHECK_THROW(parse_genl_reply(on.data(), 0, 2), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
