// A tracefs instance of the run's own: the kernel's XDP tracepoints and the
// programs' bpf_trace_printk lines land in a private buffer, read through its
// trace_pipe, and the instance is removed afterwards.
#pragma once
#include "trace_parse.h"

#include <optional>
#include <string>
#include <vector>

namespace xdplab {

// Where tracefs is mounted ("/sys/kernel/tracing", or the debugfs path), or "".
std::string find_tracefs();

// Events one CPU's ring buffer lost, from the text of per_cpu/cpuN/stats:
// "overrun:" (overwritten before anyone read them), "commit overrun:" (a
// nested writer wrapped the buffer mid-commit) and, where the kernel has it,
// "dropped events:" (buffer full while not overwriting).
unsigned long long lost_in_cpu_stats(const std::string &stats_text);

// trace_pipe's note that events were lost just before the next line
// ("CPU:1 [LOST 12 EVENTS]") -> 12. Newer kernels print "CPU:1 [LOST EVENTS]"
// when the count is unknown: that is at least one. nullopt for any other line.
std::optional<unsigned long long> lost_events_line(const std::string &line);

// Per-CPU ring buffer size of an instance: big enough that a subtest's burst
// of tracepoints and printk lines is not overwritten before it is read.
constexpr unsigned kTraceBufferKb = 4096;

class TraceInstance {
public:
	// events: "system/event" names; those the kernel lacks are left out (see has_event()).
	TraceInstance(const std::string &tracefs_root, const std::string &name, const std::vector<std::string> &events,
		      unsigned buffer_kb = kTraceBufferKb);
	~TraceInstance();
	TraceInstance(const TraceInstance &) = delete;
	TraceInstance &operator=(const TraceInstance &) = delete;

	bool has_event(const std::string &sys_event) const;
	// Everything written since the last call (non-blocking).
	std::vector<TraceRecord> drain();

	// Per-CPU size of the instance's ring buffer (buffer_size_kb); throws if
	// the kernel refuses it.
	void set_buffer_kb(unsigned kb);
	// Events the instance's ring buffers lost since it was created, summed
	// over every CPU's stats. Compare the value before and after a window to
	// know whether evidence from that window may be missing.
	unsigned long long lost_events() const;
	// Events trace_pipe reported lost ("[LOST N EVENTS]") in all drains so far.
	unsigned long long pipe_lost_events() const { return pipe_lost_; }

private:
	std::string dir_;
	int pipe_fd_ = -1;
	std::string partial_;
	std::vector<std::string> enabled_;
	unsigned long long pipe_lost_ = 0;
};

// Loading a program that calls bpf_trace_printk makes the kernel switch on the
// bpf_trace_printk event in the top-level buffer. This puts the switch back as
// the run found it.
class PrintkEventRestorer {
public:
	explicit PrintkEventRestorer(const std::string &tracefs_root);
	~PrintkEventRestorer();

private:
	std::string path_;
	std::string saved_;
};

} // namespace xdplab
