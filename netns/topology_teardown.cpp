// Removing what a Topology created, or saying how to (kept runs, dry runs).
#include "topology.h"

#include "command.h"
#include "netns_scope.h"
#include "rtnetlink.h"

#include <iostream>

namespace xdplab {

Topology::~Topology()
{
	for (const auto &p : teardown())
		std::cerr << "xdplab: teardown: " << p << "\n";
}

std::vector<std::string> Topology::teardown_commands() const
{
	std::vector<std::string> cmds;
	std::vector<std::string> names;
	if (applied_ && !dry_run_)
		names = created_;
	else
		for (const auto &n : namespaces_)
			names.push_back(n.name);
	// The veths go with their namespaces.
	for (auto it = names.rbegin(); it != names.rend(); ++it)
		cmds.push_back(shell_join({"ip", "netns", "del", *it}));
	return cmds;
}

std::vector<std::string> Topology::teardown() noexcept
{
	std::vector<std::string> problems;
	if (torn_down_ || kept_ || dry_run_)
		return problems;
	torn_down_ = true;
	// XDP programs are detached by their owners (XdpAttachment), which are
	// destroyed before the topology.
	for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
		try {
			rtnl::delete_netns(*it);
			if (netns_exists(*it))
				problems.push_back("namespace " + *it + " is still there after ip netns del");
		} catch (const std::exception &e) {
			problems.push_back(e.what());
		} catch (...) {
			problems.push_back("unknown error while deleting namespace " + *it);
		}
	}
	return problems;
}

} // namespace xdplab
