#include "ip_batch.h"

#include "command.h"

#include <cstdio>

namespace xdplab {

namespace {

std::string batch_text(const std::vector<std::vector<std::string>> &lines)
{
	std::string text;
	for (const auto &line : lines) {
		for (size_t i = 0; i < line.size(); ++i)
			text += (i ? " " : "") + line[i];
		text += '\n';
	}
	return text;
}

// With -force, iproute2 runs every line and follows each failure's own
// message with "Command failed -:N". Pair them back up, so a problem names the
// command that failed and not just a line number.
std::vector<std::string> batch_problems(const std::string &prefix, const std::vector<std::vector<std::string>> &lines,
					const std::string &output)
{
	std::vector<std::string> problems;
	std::string pending;
	size_t pos = 0;
	while (pos <= output.size()) {
		size_t end = output.find('\n', pos);
		if (end == std::string::npos)
			end = output.size();
		std::string l = output.substr(pos, end - pos);
		pos = end + 1;
		unsigned n = 0;
		char tail = 0;
		if (sscanf(l.c_str(), "Command failed -:%u%c", &n, &tail) == 1 && n >= 1 && n <= lines.size()) {
			problems.push_back(prefix + shell_join(lines[n - 1]) + ": " +
					   (pending.empty() ? "failed" : pending));
			pending.clear();
		} else if (!l.empty()) {
			pending += (pending.empty() ? "" : "; ") + l;
		}
	}
	if (!pending.empty())
		problems.push_back(prefix + "-force -batch -: " + pending);
	return problems;
}

std::string join_lines(const std::vector<std::string> &v)
{
	std::string s;
	for (const auto &x : v)
		s += (s.empty() ? "" : "\n  ") + x;
	return s;
}

} // namespace

void run_ip_batch(const std::string &ns, const std::vector<std::vector<std::string>> &lines)
{
	if (lines.empty())
		return;
	std::vector<std::string> argv{"ip"};
	if (!ns.empty())
		argv.insert(argv.end(), {"-n", ns});
	argv.insert(argv.end(), {"-force", "-batch", "-"});
	CommandResult r = run_command(argv, batch_text(lines));
	if (r.exit_code == 0)
		return;
	std::vector<std::string> prefix{"ip"};
	if (!ns.empty())
		prefix.insert(prefix.end(), {"-n", ns});
	auto problems = batch_problems(shell_join(prefix) + " ", lines, r.output);
	if (!problems.empty())
		r.output = join_lines(problems);
	throw CommandError(shell_join(argv), r);
}

} // namespace xdplab
