// A tracefs instance of the run's own: the kernel's XDP tracepoints and the
// programs' bpf_trace_printk lines land in a private buffer, read through its
// trace_pipe, and the instance is removed afterwards.
#pragma once
#include "trace_parse.h"

#include <string>
#include <vector>

namespace xdplab {

// Where tracefs is mounted ("/sys/kernel/tracing", or the debugfs path), or "".
std::string find_tracefs();

class TraceInstance {
public:
	// events: "system/event" names; those the kernel lacks are left out (see has_event()).
	TraceInstance(const std::string &tracefs_root, const std::string &name, const std::vector<std::string> &events);
	~TraceInstance();
	TraceInstance(const TraceInstance &) = delete;
	TraceInstance &operator=(const TraceInstance &) = delete;

	bool has_event(const std::string &sys_event) const;
	// Everything written since the last call (non-blocking).
	std::vector<TraceRecord> drain();

private:
	std::string dir_;
	int pipe_fd_ = -1;
	std::string partial_;
	std::vector<std::string> enabled_;
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
