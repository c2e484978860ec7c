// A veth/netns topology owned by one subtest, declared first and then created
// by apply() over rtnetlink from this process (rtnetlink.h); commands() says
// the same steps as `ip` commands, to rebuild it by hand.
// Everything it created goes with teardown() (or the destructor) unless
// keep() was called.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace xdplab {

struct NamespaceOptions {
	// false: IPv6 off, so test links carry no DAD, RA or MLD frames.
	// true: IPv6 on with duplicate address detection off, so an address is
	// usable at once and no DAD probe is sent.
	bool ipv6 = false;
};

// One end of a veth pair.
struct VethEnd {
	std::string ns;   // a namespace name returned by add_namespace()
	std::string role; // the link is link_name(run_id, role)
	std::string mac;
	int ifindex = 0;  // explicit, from harness_ifindex(): never left to the kernel
	int mtu = 0;      // 0: the kernel's default
};

class Topology {
public:
	// scope: part of every namespace name, so that the topologies of several
	// subtests of one run never share a name.
	// dry_run: apply() and teardown() run nothing; commands() still tells.
	Topology(std::string run_id, std::string scope, bool dry_run = false);
	~Topology();
	Topology(const Topology &) = delete;
	Topology &operator=(const Topology &) = delete;


	// --- Declarations: only before apply(); invalid ones throw at once. ---

	// "xdplab-<run>-<scope><role>" with lo up. Returns its name.
	std::string add_namespace(const std::string &role, NamespaceOptions opts = {});

	// A veth pair created directly inside the two namespaces (the host
	// namespace never sees it) with the ends' indexes and MACs, both up.
	// Returns the two link names.
	std::pair<std::string, std::string> add_veth(const VethEnd &a, const VethEnd &b);

	void add_address(const std::string &ns, const std::string &link, const std::string &cidr);
	// A permanent neighbour entry: no ARP on test links, so only our frames move.
	void add_neighbour(const std::string &ns, const std::string &link, const std::string &ip,
			   const std::string &mac);
	// `ip -n NS route replace SPEC...`, e.g. {"198.18.2.0/24", "via", "198.18.1.1"}; after the addresses.
	void add_route(const std::string &ns, const std::vector<std::string> &spec);
	void set_offload(const std::string &ns, const std::string &link, const std::string &feature, bool on);
	void set_mtu(const std::string &ns, const std::string &link, int mtu);
	// Written through /proc/sys from inside the namespace: before any link
	// exists, or just after the links when the key names one of them.
	void sysctl(const std::string &ns, const std::string &key, const std::string &value);

	// --- Creation ---

	// Creates everything declared; a failed step throws naming its command
	// and the kernel's answer, and teardown() still removes what was made.
	// Once only.
	void apply();

	// The declared index of a link; no syscall, valid before apply() and in a
	// dry run. std::out_of_range for a link this topology did not declare.
	int ifindex(const std::string &ns, const std::string &link) const;

	// What apply() does as individual commands, in its order, for --explain.
	std::vector<std::string> commands() const;

	// --- Removal ---

	// Leave everything in place; teardown_commands() says how to remove it.
	void keep() { kept_ = true; }
	std::vector<std::string> teardown_commands() const;

	// Deletes the namespaces (their veths go with them).
	// Returns the problems, empty when everything is gone. Once only.
	std::vector<std::string> teardown() noexcept;

private:
	struct Namespace {
		std::string name;
		NamespaceOptions opts;
	};
	struct Link {
		std::string ns, name, mac;
		int ifindex, mtu;
	};
	struct Sysctl {
		std::string ns, key, value;
		bool ipv6_off; // may be skipped where the kernel has no IPv6 at all
	};
	struct Offload {
		std::string ns, link;
		std::vector<std::pair<std::string, bool>> features;
	};
	// One line of an `ip -batch`: argv without "ip" and without "-n NS".
	using Line = std::vector<std::string>;

	void check_declarable() const;
	const Namespace &find_namespace(const std::string &ns) const;
	Link &find_link(const std::string &ns, const std::string &link);
	const Link &find_link(const std::string &ns, const std::string &link) const;

	// The plan, shared by apply() and commands() so that they cannot disagree.
	std::vector<Line> netns_lines() const;
	std::vector<Sysctl> sysctls(bool after_links) const;
	std::vector<Line> link_lines() const;
	std::vector<Line> namespace_lines(const std::string &ns) const;
	std::vector<std::vector<std::string>> ethtool_argvs() const;

	void write_sysctl(const Sysctl &s) const;
	// Runs one namespace line in-process; false for a shape it does not know.
	bool execute(const std::string &ns, const Line &line) const;
	void wait_until_links_run() const;
	int ifindex_named(const std::string &ns, const std::string &link) const;

	std::string run_id_, scope_;
	bool dry_run_;
	bool applied_ = false, kept_ = false, torn_down_ = false;
	std::vector<Namespace> namespaces_;
	std::vector<std::string> created_; // namespaces apply() made, for teardown
	std::vector<std::pair<Link, Link>> veths_;
	std::map<std::string, std::vector<Line>> steps_; // per namespace: addresses, neighbours, in order
	std::vector<Sysctl> sysctls_;
	std::vector<Offload> offloads_;
};

} // namespace xdplab
