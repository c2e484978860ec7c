#include "topology.h"

#include "../harness/command.h"
#include "naming.h"
#include "netns_scope.h"

#include <fstream>
#include <iostream>

namespace xdplab {

Topology::Topology(std::string run_id, bool dry_run, std::string scope)
	: run_id_(std::move(run_id)), dry_run_(dry_run), scope_(std::move(scope))
{
}

Topology::~Topology()
{
	teardown();
}

void Topology::run(const std::vector<std::string> &argv)
{
	log_.push_back(shell_join(argv));
	if (!dry_run_)
		run_checked(argv);
}

std::string Topology::add_namespace(const std::string &role)
{
	std::string ns = netns_name(run_id_, scope_ + role);
	run({"ip", "netns", "add", ns});
	namespaces_.push_back(ns);
	run({"ip", "-n", ns, "link", "set", "dev", "lo", "up"});
	sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
	sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
	return ns;
}

std::pair<std::string, std::string> Topology::add_veth(const std::string &ns_a, const std::string &role_a,
							const std::string &mac_a, const std::string &ns_b,
							const std::string &role_b, const std::string &mac_b)
{
	std::string a = link_name(run_id_, role_a), b = link_name(run_id_, role_b);
	// Created directly inside the namespaces: the host namespace never sees them.
	run({"ip", "link", "add", a, "netns", ns_a, "address", mac_a, "type", "veth", "peer", "name", b, "netns", ns_b,
	     "address", mac_b});
	links_.emplace_back(ns_a, a);
	run({"ip", "-n", ns_a, "link", "set", "dev", a, "up"});
	run({"ip", "-n", ns_b, "link", "set", "dev", b, "up"});
	return {a, b};
}

void Topology::add_address(const std::string &ns, const std::string &link, const std::string &cidr)
{
	run({"ip", "-n", ns, "address", "add", cidr, "dev", link});
}

void Topology::add_neighbour(const std::string &ns, const std::string &link, const std::string &ip,
			     const std::string &mac)
{
	run({"ip", "-n", ns, "neigh", "replace", ip, "lladdr", mac, "dev", link, "nud", "permanent"});
}

void Topology::set_offload(const std::string &ns, const std::string &link, const std::string &feature, bool on)
{
	run({"ip", "netns", "exec", ns, "ethtool", "-K", link, feature, on ? "on" : "off"});
}

void Topology::sysctl(const std::string &ns, const std::string &key, const std::string &value)
{
	// Written from inside the namespace instead of `ip netns exec sysctl`: no
	// procps needed (the VM guest has none), and /proc/sys/net follows setns().
	log_.push_back(shell_join({"ip", "netns", "exec", ns, "sysctl", "-qw", key + "=" + value}));
	if (dry_run_)
		return;
	std::string path = "/proc/sys/" + key;
	for (size_t i = std::string("/proc/sys/").size(); i < path.size(); ++i)
		if (path[i] == '.')
			path[i] = '/';
	NetnsScope scope(ns);
	std::ofstream f(path);
	f << value;
	f.flush();
	if (!f)
		throw std::runtime_error("cannot set sysctl " + key + " in " + ns);
}

int Topology::ifindex(const std::string &ns, const std::string &link) const
{
	return dry_run_ ? 0 : ifindex_in(ns, link);
}

std::vector<std::string> Topology::teardown_commands() const
{
	std::vector<std::string> cmds;
	for (auto it = links_.rbegin(); it != links_.rend(); ++it)
		cmds.push_back(shell_join({"ip", "-n", it->first, "link", "del", "dev", it->second}));
	for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it)
		cmds.push_back(shell_join({"ip", "netns", "del", *it}));
	return cmds;
}

void Topology::teardown() noexcept
{
	// XDP programs are detached by their owners (XdpAttachment), which are
	// destroyed before the topology.
	if (kept_ || dry_run_)
		return;
	// Best effort, every step: one failure must not leave the rest behind.
	for (auto it = links_.rbegin(); it != links_.rend(); ++it) {
		try {
			run_command({"ip", "-n", it->first, "link", "del", "dev", it->second});
		} catch (const std::exception &e) {
			std::cerr << "xdplab: teardown: " << e.what() << "\n";
		}
	}
	links_.clear();
	for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) {
		try {
			CommandResult r = run_command({"ip", "netns", "del", *it});
			if (r.exit_code != 0)
				std::cerr << "xdplab: teardown: ip netns del " << *it << ": " << r.output << "\n";
		} catch (const std::exception &e) {
			std::cerr << "xdplab: teardown: " << e.what() << "\n";
		}
	}
	namespaces_.clear();
}

} // namespace xdplab
