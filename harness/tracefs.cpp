#include "tracefs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
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

std::string find_tracefs()
{
	for (const char *p : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
		if (exists(std::string(p) + "/trace_pipe") && exists(std::string(p) + "/instances"))
			return p;
	return "";
}

TraceInstance::TraceInstance(const std::string &root, const std::string &name, const std::vector<std::string> &events)
	: dir_(root + "/instances/" + name)
{
	if (mkdir(dir_.c_str(), 0755) != 0)
		throw std::runtime_error("cannot create tracefs instance " + dir_ + ": " + strerror(errno));
	try {
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
		if (auto rec = parse_trace_line(partial_.substr(start, nl - start)))
			out.push_back(*rec);
		start = nl + 1;
	}
	partial_.erase(0, start);
	return out;
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
