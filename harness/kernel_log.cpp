#include "kernel_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <sstream>

namespace xdplab {

std::vector<Splat> find_splats(const std::string &text)
{
	static const std::regex splat(
		R"((WARNING: CPU:|WARNING: at |BUG: |Oops|general protection fault|KASAN|UBSAN:|Call Trace:|soft lockup|rcu_(sched|preempt)? ?(self-)?detected (cpu )?stall|RCU stall|Kernel panic))");
	static const std::regex progress(R"(\[\d+/\d+\] \S+/\S+ \.\.\.)");
	std::vector<std::string> lines;
	std::istringstream in(text);
	for (std::string l; std::getline(in, l);) {
		if (!l.empty() && l.back() == '\r')
			l.pop_back();
		lines.push_back(l);
	}
	std::vector<Splat> out;
	std::string last_progress;
	size_t skip_until = 0;
	for (size_t i = 0; i < lines.size(); ++i) {
		if (std::regex_search(lines[i], progress))
			last_progress = lines[i];
		if (i < skip_until || !std::regex_search(lines[i], splat))
			continue;
		// One report is many lines (WARNING, modules, registers, Call Trace):
		// take it as one, up to its end marker or 60 lines.
		size_t end = i + 1;
		while (end < lines.size() && end < i + 60 && lines[end].find("---[ end trace") == std::string::npos)
			++end;
		std::string context;
		for (size_t j = i; j < std::min(end + 1, lines.size()) && j < i + 24; ++j)
			context += lines[j] + "\n";
		skip_until = end + 1;
		if (context.find("bpf_warn_invalid_xdp_action") != std::string::npos)
			continue; // provoked and observed by devmap-egress-return-codes
		out.push_back({lines[i], context, last_progress});
	}
	return out;
}

KernelLogWindow::KernelLogWindow()
{
	fd_ = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd_ >= 0)
		lseek(fd_, 0, SEEK_END);
}

KernelLogWindow::~KernelLogWindow()
{
	if (fd_ >= 0)
		close(fd_);
}

std::string KernelLogWindow::read_new()
{
	std::string out;
	if (fd_ < 0)
		return out;
	char buf[8192];
	for (;;) {
		ssize_t n = read(fd_, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE)
			continue; // records were overwritten: go on with the next one
		if (n <= 0)
			break;
		// "<prio>,<seq>,<ts>,<flags>;<message>\n[ continuation lines]"
		std::string rec(buf, static_cast<size_t>(n));
		auto semi = rec.find(';');
		std::string msg = semi == std::string::npos ? rec : rec.substr(semi + 1);
		auto nl = msg.find('\n');
		out += (nl == std::string::npos ? msg : msg.substr(0, nl)) + "\n";
	}
	return out;
}

} // namespace xdplab
