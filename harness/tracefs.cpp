#include "tracefs.h"
#include "file_text.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace xdplab {

namespace {
bool exists(const std::string &p)
{
	return access(p.c_str(), F_OK) == 0;
}

bool write_text(const std::string &path, const std::string &text)
{
	std::ofstream f(path);
	f << text;
	f.flush();
	return static_cast<bool>(f);
}

std::string read_text(const std::string &path)
{
	std::ifstream f(path);
	std::string s;
	std::getline(f, s);
	return s;
}

} // namespace

unsigned long long lost_in_cpu_stats(const std::string &stats_text)
{
	std::istringstream in(stats_text);
	std::string line;
	unsigned long long lost = 0;
	while (std::getline(in, line)) {
		auto colon = line.find(':');
		if (colon == std::string::npos)
			continue;
		// Whole keys, so "commit overrun:" is not counted again as "overrun:".
		std::string key = line.substr(0, colon);
		if (key != "overrun" && key != "commit overrun" && key != "dropped events")
			continue;
		try {
			lost += std::stoull(line.substr(colon + 1));
		} catch (const std::exception &) {
			// Not a number: nothing to add, and no reason to fail the run.
		}
	}
	return lost;
}

std::optional<unsigned long long> lost_events_line(const std::string &line)
{
	static const std::regex re(R"(^CPU:\d+ \[LOST (?:(\d+) )?EVENTS\]\s*$)");
	std::smatch m;
	if (!std::regex_match(line, m, re))
		return std::nullopt;
	return m[1].matched ? std::stoull(m[1]) : 1ULL;
}

std::string find_tracefs()
{
	for (const char *p : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
		if (exists(std::string(p) + "/trace_pipe") && exists(std::string(p) + "/instances"))
			return p;
	return "";
}

TraceInstance::TraceInstance(const std::string &root, const std::string &name, const std::vector<std::string> &events,
			     unsigned buffer_kb)
	: dir_(root + "/instances/" + name)
{
	if (mkdir(dir_.c_str(), 0755) != 0)
		throw std::runtime_error("cannot create tracefs instance " + dir_ + ": " + strerror(errno));
	try {
		// Before any event is on: resizing later would race with writers.
		if (buffer_kb)
			set_buffer_kb(buffer_kb);
		for (const auto &ev : events) {
			std::string enable = dir_ + "/events/" + ev + "/enable";
			if (!exists(enable))
				continue;
			if (!write_text(enable, "1"))
				throw std::runtime_error("cannot enable trace event " + ev);
			enabled_.push_back(ev);
		}
		pipe_fd_ = open((dir_ + "/trace_pipe").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (pipe_fd_ < 0)
			throw std::runtime_error("cannot open " + dir_ + "/trace_pipe: " + strerror(errno));
	} catch (...) {
		for (const auto &ev : enabled_)
			write_text(dir_ + "/events/" + ev + "/enable", "0");
		rmdir(dir_.c_str());
		throw;
	}
}

TraceInstance::~TraceInstance()
{
	for (const auto &ev : enabled_)
		write_text(dir_ + "/events/" + ev + "/enable", "0");
	if (pipe_fd_ >= 0)
		close(pipe_fd_);
	rmdir(dir_.c_str()); // an open trace_pipe would make this EBUSY: closed above
}

bool TraceInstance::has_event(const std::string &sys_event) const
{
	for (const auto &e : enabled_)
		if (e == sys_event)
			return true;
	return false;
}

std::vector<TraceRecord> TraceInstance::drain()
{
	std::vector<TraceRecord> out;
	char buf[65536];
	for (;;) {
		ssize_t n = read(pipe_fd_, buf, sizeof(buf));
		if (n <= 0)
			break; // EAGAIN: nothing more buffered
		partial_.append(buf, static_cast<size_t>(n));
	}
	size_t start = 0, nl;
	while ((nl = partial_.find('\n', start)) != std::string::npos) {
		std::string line = partial_.substr(start, nl - start);
		if (auto lost = lost_events_line(line))
			pipe_lost_ += *lost;
		else if (auto rec = parse_trace_line(line))
			out.push_back(*rec);
		start = nl + 1;
	}
	partial_.erase(0, start);
	return out;
}

void TraceInstance::set_buffer_kb(unsigned kb)
{
	std::string path = dir_ + "/buffer_size_kb";
	int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		throw std::runtime_error("cannot open " + path + ": " + strerror(errno));
	// One write(2), so the kernel's refusal (ENOMEM on a small VM) is seen here.
	std::string text = std::to_string(kb) + "\n";
	ssize_t n = write(fd, text.data(), text.size());
	int e = errno;
	close(fd);
	if (n != static_cast<ssize_t>(text.size()))
		throw std::runtime_error("cannot set " + path + " to " + std::to_string(kb) + ": " +
					 (n < 0 ? strerror(e) : "short write"));
}

unsigned long long TraceInstance::lost_events() const
{
	unsigned long long lost = 0;
	std::string per_cpu = dir_ + "/per_cpu";
	DIR *d = opendir(per_cpu.c_str());
	if (!d) // an unknown loss must not read as none
		throw std::runtime_error("cannot read " + per_cpu + ": " + strerror(errno));
	while (dirent *e = readdir(d)) {
		if (std::strncmp(e->d_name, "cpu", 3) != 0)
			continue;
		lost += lost_in_cpu_stats(read_file(per_cpu + "/" + e->d_name + "/stats"));
	}
	closedir(d);
	return lost;
}

PrintkEventRestorer::PrintkEventRestorer(const std::string &root)
	: path_(root + "/events/bpf_trace/bpf_trace_printk/enable")
{
	if (exists(path_))
		saved_ = read_text(path_);
}

PrintkEventRestorer::~PrintkEventRestorer()
{
	if (!saved_.empty() && read_text(path_) != saved_)
		write_text(path_, saved_);
}

} // namespace xdplab
