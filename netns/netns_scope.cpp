#include "netns_scope.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace xdplab {

std::string netns_path(const std::string &name)
{
	return "/run/netns/" + name;
}

bool netns_exists(const std::string &name)
{
	return access(netns_path(name).c_str(), F_OK) == 0;
}

NetnsScope::NetnsScope(const std::string &name)
{
	if (name.empty())
		return;
	saved_fd_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved_fd_ < 0)
		throw std::runtime_error(std::string("cannot open own netns: ") + strerror(errno));
	int fd = open(netns_path(name).c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		close(saved_fd_);
		throw std::runtime_error("cannot open netns " + name + ": " + strerror(e));
	}
	int rc = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	if (rc != 0) {
		close(saved_fd_);
		throw std::runtime_error("setns(" + name + "): " + strerror(e));
	}
}

NetnsScope::~NetnsScope()
{
	if (saved_fd_ < 0)
		return;
	// Returning to the original namespace cannot reasonably fail; if it did,
	// every later step would act in the wrong namespace, so stop hard.
	if (setns(saved_fd_, CLONE_NEWNET) != 0)
		std::terminate();
	close(saved_fd_);
}

namespace {
std::string sysctl_path(const std::string &key)
{
	std::string path = key;
	std::replace(path.begin(), path.end(), '.', '/');
	return "/proc/sys/" + path;
}

// The value as the kernel prints it, without the newline; nullopt when unreadable.
std::optional<std::string> read_sysctl(const std::string &path)
{
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return std::nullopt;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return std::nullopt;
	std::string v(buf, static_cast<size_t>(n));
	while (!v.empty() && (v.back() == '\n' || v.back() == ' '))
		v.pop_back();
	return v;
}
} // namespace

void write_sysctl_in(const std::string &ns, const std::string &key, const std::string &value)
{
	NetnsScope scope(ns);
	// A value already in place is not written again: the kernel's handlers
	// for disable_ipv6 and forwarding take the RTNL with rtnl_trylock() and
	// restart the write while another namespace is being built or torn
	// down, a busy loop that took a tenth of the harness's CPU with four
	// subtests at once (and more in an emulated guest).
	if (read_sysctl(sysctl_path(key)) == value)
		return;
	int fd = open(sysctl_path(key).c_str(), O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
	int err = errno;
	if (fd >= 0)
		close(fd);
	if (!ok)
		throw std::runtime_error("cannot set sysctl " + key + "=" + value + " in " + ns + ": " + strerror(err));
}

bool sysctl_exists_in(const std::string &ns, const std::string &key)
{
	NetnsScope scope(ns);
	return access(sysctl_path(key).c_str(), F_OK) == 0;
}

int ifindex_in(const std::string &ns, const std::string &link)
{
	NetnsScope scope(ns);
	unsigned idx = if_nametoindex(link.c_str());
	if (idx == 0)
		throw std::runtime_error("no link " + link + " in netns " + ns);
	return static_cast<int>(idx);
}

} // namespace xdplab
