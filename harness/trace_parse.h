// Parsing trace_pipe lines: the kernel's XDP tracepoints and the programs'
// bpf_printk stage lines.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace xdplab {

struct TraceRecord {
	std::string task;
	int cpu = -1;
	double timestamp = 0;
	std::string event; // "xdp_redirect_err", "bpf_trace_printk", or "0" for old trace_printk
	std::string body;  // what follows "event: "
	std::string raw;
};

std::optional<TraceRecord> parse_trace_line(const std::string &line);

// "prog_id=12 action=REDIRECT ifindex=3 to_ifindex=0 err=-95" -> {prog_id: "12", ...}
std::map<std::string, std::string> trace_fields(const std::string &body);

// A stage line of one subtest ("xdplab 1a2b3c0005: XDP ingress (stage=1)" for
// run 1a2b3c, case 5) -> its message.
std::optional<std::string> stage_message(const TraceRecord &rec, uint32_t run_id, uint32_t case_id);

} // namespace xdplab
