// The pieces that keep evidence honest when subtests run in parallel threads:
// libbpf messages per thread, trace buffer losses.
#include "harness/libbpf_log.h"
#include "harness/tracefs.h"

#include <bpf/libbpf.h>

#include <boost/test/unit_test.hpp>

#include <barrier>
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
