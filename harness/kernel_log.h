// The kernel's own complaints during a run: WARN splats, BUGs, oopses, KASAN
// reports, RCU stalls, soft lockups. A BPF test harness can trigger kernel
// bugs while every subtest stays green, so both the guests' consoles and the
// kernel log of every run (host or guest) are scanned; a splat fails the run
// like `error`, unless a subtest running at the time declares that it
// provokes it (Experiment::provoked_kernel_warnings) and observes it.
#pragma once
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace xdplab {

// One record of /dev/kmsg: "prio,seq,usec,flags[,...];text", continuation
// lines (" KEY=value") dropped.
struct KmsgRecord {
	unsigned long long seq = 0;
	unsigned long long usec = 0;
	std::string text;
};
std::optional<KmsgRecord> parse_kmsg_record(const std::string &raw);

// Everything the kernel log still holds (non-blocking: ends at the newest record).
std::vector<KmsgRecord> read_kernel_log();

struct Splat {
	std::string first_line; // "WARNING: CPU: 0 PID: 1 at net/core/filter.c:8158 ..."
	std::string context;    // the lines around it, for the evidence
	std::string after;      // console logs: the last harness progress line before it ("" if none)
	// Kernel logs read during a run: "id/subtest" of every subtest that was
	// running while the splat's first line was logged (empty: none was).
	std::vector<std::string> running;
};

// Splats in kernel log text (console or /dev/kmsg messages, one per line).
std::vector<Splat> find_splats(const std::string &log_text);

// The kernel log of this machine during a run, each line tagged with the
// subtests that ran since the previous read. Reads happen when a subtest
// starts or ends, so a line's tag is every subtest that was running at any
// moment between the two reads that bracket it: a superset, never a miss,
// and no clock has to agree with the kernel's printk clock. Thread-safe.
class KernelLogWatch {
public:
	KernelLogWatch(); // from now on
	~KernelLogWatch();
	KernelLogWatch(const KernelLogWatch &) = delete;
	KernelLogWatch &operator=(const KernelLogWatch &) = delete;

	void started(const std::string &subtest);
	void ended(const std::string &subtest);
	// Reads what is left and returns the splats, each with its `running`.
	std::vector<Splat> finish();

	// For tests: lines as if read from the log now.
	void add_lines_for_test(const std::vector<std::string> &lines);

private:
	void poll_locked();
	void append_locked(const std::string &line);

	int fd_ = -1;
	struct Line {
		std::string text;
		size_t tag; // index into tags_
	};
	std::vector<Line> lines_;
	std::vector<std::vector<std::string>> tags_;
	std::set<std::string> running_, touched_; // touched: ran at some moment since the last read
	bool tag_current_ = false;
	std::mutex mu_;
};

} // namespace xdplab
