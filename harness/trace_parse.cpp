#include "trace_parse.h"

#include <regex>
#include <sstream>

namespace xdplab {

std::optional<TraceRecord> parse_trace_line(const std::string &line)
{
	// "<task>-<pid> [<cpu>] <flags> <secs>.<usecs>: <event>: <body>"; the flags
	// column is absent with some trace options, the task name may hold spaces.
	static const std::regex re(R"(^\s*(.*?)\s+\[(\d+)\]\s+(?:[^\s\d][^\s]*\s+)?(\d+\.\d+):\s+([^:\s]+):\s?(.*)$)");
	std::smatch m;
	if (!std::regex_match(line, m, re))
		return std::nullopt;
	TraceRecord r;
	r.task = m[1];
	r.cpu = std::stoi(m[2]);
	r.timestamp = std::stod(m[3]);
	r.event = m[4];
	r.body = m[5];
	r.raw = line;
	return r;
}

std::map<std::string, std::string> trace_fields(const std::string &body)
{
	std::map<std::string, std::string> out;
	std::istringstream in(body);
	std::string tok;
	while (in >> tok) {
		auto eq = tok.find('=');
		if (eq != std::string::npos && eq > 0)
			out[tok.substr(0, eq)] = tok.substr(eq + 1);
	}
	return out;
}

std::optional<std::string> stage_message(const TraceRecord &rec, uint32_t run_id, uint32_t case_id)
{
	// The programs print (run << 16 | case) with "%llx": no leading zeros.
	std::ostringstream p;
	p << "xdplab " << std::hex << ((static_cast<uint64_t>(run_id) << 16) | (case_id & 0xffff)) << ": ";
	std::string prefix = p.str();
	auto pos = rec.body.find(prefix);
	if (pos == std::string::npos)
		return std::nullopt;
	return rec.body.substr(pos + prefix.size());
}

} // namespace xdplab
