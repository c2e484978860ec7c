// A veth/netns topology owned by one run: everything added here is removed by
// the destructor (links, then namespaces), unless keep() was called.
#pragma once
#include <string>
#include <vector>

namespace xdplab {

class Topology {
public:
	// dry_run: record the commands for --explain without running them.
	// scope: part of every namespace name, so that the topologies of several
	// subtests of one run (kept with --keep) never share a name.
	Topology(std::string run_id, bool dry_run = false, std::string scope = "");
	~Topology();
	Topology(const Topology &) = delete;
	Topology &operator=(const Topology &) = delete;

	const std::string &run_id() const { return run_id_; }

	// A namespace "xdplab-<run>-<scope><role>" with lo up and IPv6 off (no DAD, RA or
	// MLD chatter on test links). Returns its name.
	std::string add_namespace(const std::string &role);

	// A veth pair "xl<run>-<role_a>" in ns_a <-> "xl<run>-<role_b>" in ns_b,
	// both up, with the given MACs. Returns the two link names.
	std::pair<std::string, std::string> add_veth(const std::string &ns_a, const std::string &role_a,
						     const std::string &mac_a, const std::string &ns_b,
						     const std::string &role_b, const std::string &mac_b);

	void add_address(const std::string &ns, const std::string &link, const std::string &cidr);
	// A permanent neighbour entry: no ARP on test links, so only our frames move.
	void add_neighbour(const std::string &ns, const std::string &link, const std::string &ip, const std::string &mac);
	void set_offload(const std::string &ns, const std::string &link, const std::string &feature, bool on);
	void sysctl(const std::string &ns, const std::string &key, const std::string &value);

	// ifindex of a link (0 in a dry run).
	int ifindex(const std::string &ns, const std::string &link) const;

	// Leave everything in place; teardown_commands() says how to remove it.
	void keep() { kept_ = true; }
	std::vector<std::string> teardown_commands() const;

	// Every command this topology ran (or would run), for --explain.
	const std::vector<std::string> &commands() const { return log_; }

	void teardown() noexcept;

private:
	void run(const std::vector<std::string> &argv);

	std::string run_id_;
	bool dry_run_;
	std::string scope_;
	bool kept_ = false;
	std::vector<std::string> namespaces_;
	std::vector<std::pair<std::string, std::string>> links_; // (ns, link): one end of each pair
	std::vector<std::string> log_;
};

} // namespace xdplab
