// Enter a named network namespace for the lifetime of a scope (this thread only).
#pragma once
#include <string>

namespace xdplab {

// Path of a namespace made by `ip netns add NAME`.
std::string netns_path(const std::string &name);

class NetnsScope {
public:
	explicit NetnsScope(const std::string &name); // "" stays in the current namespace
	~NetnsScope();
	NetnsScope(const NetnsScope &) = delete;
	NetnsScope &operator=(const NetnsScope &) = delete;

private:
	int saved_fd_ = -1;
};

// if_nametoindex() inside the namespace; throws if the link does not exist.
int ifindex_in(const std::string &ns, const std::string &link);

} // namespace xdplab
