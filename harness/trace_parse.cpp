#include "trace_parse.h"

#include <sstream>

namespace xdplab {

std::optional<TraceRecord> parse_trace_line(const std::string &line)
{
	// "<task>-<pid> [<cpu>] <flags> <secs>.<usecs>: <event>: <body>"; the flags
	// column is absent with some trace options, the task name may hold spaces.
	// Scanned by hand: every line of every subtest passes here, and a
	// std::regex took a visible share of a run's CPU (more so in a TCG guest).
	auto space = [](char c) { return c == ' ' || c == '\t'; };
	auto digit = [](char c) { return c >= '0' && c <= '9'; };
	const size_t n = line.size();
	size_t task_begin = 0;
	while (task_begin < n && space(line[task_begin]))
		++task_begin;
	// The first " [<digits>]" after a non-empty task.
	size_t open = task_begin, close = 0;
	for (;;) {
		open = line.find('[', open + 1);
		if (open == std::string::npos)
			return std::nullopt;
		if (!space(line[open - 1]))
			continue;
		close = open + 1;
		while (close < n && digit(line[close]))
			++close;
		if (close > open + 1 && close < n && line[close] == ']')
			break;
	}
	size_t task_end = open;
	while (task_end > task_begin && space(line[task_end - 1]))
		--task_end;
	if (task_end == task_begin)
		return std::nullopt;
	size_t i = close + 1;
	auto skip_spaces = [&] {
		size_t from = i;
		while (i < n && space(line[i]))
			++i;
		return i > from;
	};
	if (!skip_spaces())
		return std::nullopt;
	if (!digit(line[i])) { // the flags column
		while (i < n && !space(line[i]))
			++i;
		if (!skip_spaces())
			return std::nullopt;
	}
	size_t ts = i;
	while (i < n && digit(line[i]))
		++i;
	if (i == ts || i >= n || line[i] != '.')
		return std::nullopt;
	for (++i; i < n && digit(line[i]);)
		++i;
	if (i >= n || line[i] != ':' || !digit(line[i - 1]))
		return std::nullopt;
	size_t ts_end = i++;
	if (!skip_spaces())
		return std::nullopt;
	size_t ev = i;
	while (i < n && line[i] != ':' && !space(line[i]))
		++i;
	if (i == ev || i >= n || line[i] != ':')
		return std::nullopt;
	TraceRecord r;
	r.task = line.substr(task_begin, task_end - task_begin);
	r.cpu = std::stoi(line.substr(open + 1, close - open - 1));
	r.timestamp = std::stod(line.substr(ts, ts_end - ts));
	r.event = line.substr(ev, i - ev);
	++i;
	if (i < n && space(line[i]))
		++i;
	r.body = line.substr(i);
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
