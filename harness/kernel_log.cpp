#include "kernel_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <regex>
#include <sstream>

namespace xdplab {

std::optional<KmsgRecord> parse_kmsg_record(const std::string &raw)
{
	auto semi = raw.find(';');
	if (semi == std::string::npos)
		return std::nullopt;
	KmsgRecord r;
	if (std::sscanf(raw.c_str(), "%*u,%llu,%llu", &r.seq, &r.usec) != 2)
		return std::nullopt;
	auto end = raw.find('\n', semi + 1);
	r.text = raw.substr(semi + 1, end == std::string::npos ? std::string::npos : end - semi - 1);
	return r;
}

namespace {

int open_kmsg()
{
	return open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

// Records from fd until there are no more (EAGAIN).
std::vector<KmsgRecord> read_records(int fd)
{
	std::vector<KmsgRecord> out;
	char buf[8192];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EPIPE || errno == EINTR) // overwritten under us: go on with the next
				continue;
			break;
		}
		if (n == 0)
			break;
		if (auto r = parse_kmsg_record(std::string(buf, static_cast<size_t>(n))))
			out.push_back(std::move(*r));
	}
	return out;
}

struct SplatSpan {
	size_t first;
	std::string context;
};

// One report is many lines (WARNING, modules, registers, Call Trace): taken
// as one, up to its end marker, the first line of the next report, or 60
// lines. A "Call Trace:" of its own (a stall dump, say) starts a report too.
std::vector<SplatSpan> splat_spans(const std::vector<std::string> &lines)
{
	static const std::regex starts(
		R"((WARNING: CPU:|WARNING: at |BUG: |Oops|general protection fault|KASAN|UBSAN:|soft lockup|rcu_(sched|preempt)? ?(self-)?detected (cpu )?stall|RCU stall|Kernel panic))");
	std::vector<SplatSpan> out;
	for (size_t i = 0; i < lines.size(); ++i) {
		if (!std::regex_search(lines[i], starts) && lines[i].find("Call Trace:") == std::string::npos)
			continue;
		size_t end = i + 1; // one past the report
		while (end < lines.size() && end < i + 60 && !std::regex_search(lines[end], starts)) {
			if (lines[end++].find("---[ end trace") != std::string::npos)
				break;
		}
		std::string context;
		for (size_t j = i; j < end && j < i + 24; ++j)
			context += lines[j] + "\n";
		out.push_back({i, context});
		i = end - 1;
	}
	return out;
}

} // namespace

std::vector<KmsgRecord> read_kernel_log()
{
	int fd = open_kmsg();
	if (fd < 0)
		return {};
	auto out = read_records(fd);
	close(fd);
	return out;
}

std::vector<Splat> find_splats(const std::string &text)
{
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
	size_t scanned = 0;
	for (const auto &span : splat_spans(lines)) {
		for (; scanned < span.first; ++scanned)
			if (std::regex_search(lines[scanned], progress))
				last_progress = lines[scanned];
		out.push_back({lines[span.first], span.context, last_progress, {}});
	}
	return out;
}

KernelLogWatch::KernelLogWatch()
{
	fd_ = open_kmsg();
	if (fd_ >= 0)
		lseek(fd_, 0, SEEK_END);
}

KernelLogWatch::~KernelLogWatch()
{
	if (fd_ >= 0)
		close(fd_);
}

void KernelLogWatch::append_locked(const std::string &line)
{
	if (!tag_current_) {
		tags_.emplace_back(touched_.begin(), touched_.end());
		tag_current_ = true;
	}
	lines_.push_back({line, tags_.size() - 1});
}

void KernelLogWatch::poll_locked()
{
	if (fd_ >= 0)
		for (auto &r : read_records(fd_))
			append_locked(r.text);
	// What is read from now on was logged after this moment: only the
	// subtests running now (or starting later) can have caused it.
	touched_ = running_;
	tag_current_ = false;
}

void KernelLogWatch::started(const std::string &subtest)
{
	std::lock_guard<std::mutex> lock(mu_);
	poll_locked();
	running_.insert(subtest);
	touched_.insert(subtest);
	tag_current_ = false;
}

void KernelLogWatch::ended(const std::string &subtest)
{
	std::lock_guard<std::mutex> lock(mu_);
	poll_locked();
	running_.erase(subtest);
	touched_.erase(subtest); // what is logged from now on came after its teardown
}

void KernelLogWatch::add_lines_for_test(const std::vector<std::string> &lines)
{
	std::lock_guard<std::mutex> lock(mu_);
	for (const auto &l : lines)
		append_locked(l);
}

std::vector<Splat> KernelLogWatch::finish()
{
	std::lock_guard<std::mutex> lock(mu_);
	poll_locked();
	std::vector<std::string> text;
	for (const auto &l : lines_)
		text.push_back(l.text);
	std::vector<Splat> out;
	for (const auto &span : splat_spans(text))
		out.push_back({text[span.first], span.context, "", tags_[lines_[span.first].tag]});
	return out;
}

} // namespace xdplab
