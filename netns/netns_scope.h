// Enter a named network namespace for the lifetime of a scope (this thread only).
#pragma once
#include <string>

namespace xdplab {

// Path of a namespace made by `ip netns add NAME`.
std::string netns_path(const std::string &name);
// Whether a namespace of that name is there (made by us or by anyone else).
bool netns_exists(const std::string &name);

class NetnsScope {
public:
	explicit NetnsScope(const std::string &name); // "" stays in the current namespace
	~NetnsScope();
	NetnsScope(const NetnsScope &) = delete;
	NetnsScope &operator=(const NetnsScope &) = delete;

private:
	int saved_fd_ = -1;
};

// Writes a sysctl ("net.ipv4.conf.all.forwarding") through /proc/sys from
// inside the namespace: no process, no procps needed (the VM guest has none),
// and /proc/sys/net follows the thread's namespace. Throws with the errno.
void write_sysctl_in(const std::string &ns, const std::string &key, const std::string &value);
bool sysctl_exists_in(const std::string &ns, const std::string &key);

// if_nametoindex() inside the namespace; throws if the link does not exist.
int ifindex_in(const std::string &ns, const std::string &link);

} // namespace xdplab
