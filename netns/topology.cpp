// The declarations of a Topology: each checked at once, so that a bad value
// is refused where it is declared and never reaches a command.
#include "topology.h"

#include "naming.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <stdexcept>

namespace xdplab {

namespace {

// Every declared value ends up as a word of an `ip -batch` line, which iproute2
// splits at blanks and where quotes and '#' mean something: such characters
// would change the command, not just the value.
void check_word(const char *what, const std::string &s)
{
	if (s.empty() || s.find_first_of(" \t\r\n\"'\\#") != std::string::npos)
		throw std::invalid_argument(std::string("topology: bad ") + what + " '" + s + "'");
}

void check_mac(const std::string &mac)
{
	bool ok = mac.size() == 17;
	for (size_t i = 0; ok && i < mac.size(); ++i)
		ok = i % 3 == 2 ? mac[i] == ':' : isxdigit(static_cast<unsigned char>(mac[i])) != 0;
	if (!ok)
		throw std::invalid_argument("topology: bad MAC address '" + mac + "'");
}

// A key becomes a path under /proc/sys: nothing that could leave it.
void check_sysctl_key(const std::string &key)
{
	bool ok = !key.empty() && key.front() != '.' && key.back() != '.' && key.find("..") == std::string::npos &&
		  key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
			  std::string::npos;
	if (!ok)
		throw std::invalid_argument("topology: bad sysctl key '" + key + "'");
}

} // namespace

Topology::Topology(std::string run_id, std::string scope, bool dry_run)
	: run_id_(std::move(run_id)), scope_(std::move(scope)), dry_run_(dry_run)
{
}

void Topology::check_declarable() const
{
	if (applied_)
		throw std::logic_error("topology: declarations come before apply()");
}

const Topology::Namespace &Topology::find_namespace(const std::string &ns) const
{
	for (const auto &n : namespaces_)
		if (n.name == ns)
			return n;
	throw std::invalid_argument("topology: namespace " + ns + " was not declared");
}

const Topology::Link &Topology::find_link(const std::string &ns, const std::string &link) const
{
	for (const auto &[a, b] : veths_) {
		if (a.ns == ns && a.name == link)
			return a;
		if (b.ns == ns && b.name == link)
			return b;
	}
	throw std::out_of_range("topology: no link " + link + " declared in " + ns);
}

Topology::Link &Topology::find_link(const std::string &ns, const std::string &link)
{
	return const_cast<Link &>(static_cast<const Topology *>(this)->find_link(ns, link));
}

std::string Topology::add_namespace(const std::string &role, NamespaceOptions opts)
{
	check_declarable();
	std::string ns = netns_name(run_id_, scope_ + role);
	check_word("namespace name", ns);
	for (const auto &n : namespaces_)
		if (n.name == ns)
			throw std::invalid_argument("topology: namespace " + ns + " declared twice");
	namespaces_.push_back({ns, opts});
	// Before any link exists in the namespace: a link made with IPv6 on would
	// already have sent its router and multicast listener solicitations.
	if (opts.ipv6) {
		for (const char *scope : {"default", "all"}) {
			std::string conf = std::string("net.ipv6.conf.") + scope + ".";
			sysctls_.push_back({ns, conf + "accept_dad", "0", false});
			sysctls_.push_back({ns, conf + "dad_transmits", "0", false});
		}
		// Stated rather than assumed: a new namespace may inherit the host's
		// settings (net.core.devconf_inherit_init_net).
		sysctls_.push_back({ns, "net.ipv6.conf.default.disable_ipv6", "0", false});
		sysctls_.push_back({ns, "net.ipv6.conf.all.disable_ipv6", "0", false});
	} else {
		// The links made afterwards take their disable_ipv6 from
		// "default"; "all" would also reach lo, which sends nothing on
		// a veth, and its write waits for the RTNL (a busy restart of
		// the write while other subtests build links), where "default"
		// has not needed it since 6.9.
		sysctls_.push_back({ns, "net.ipv6.conf.default.disable_ipv6", "1", true});
	}
	return ns;
}

std::pair<std::string, std::string> Topology::add_veth(const VethEnd &a, const VethEnd &b)
{
	check_declarable();
	Link la{a.ns, link_name(run_id_, a.role), a.mac, a.ifindex, a.mtu};
	Link lb{b.ns, link_name(run_id_, b.role), b.mac, b.ifindex, b.mtu};
	for (const Link *l : {&la, &lb}) {
		find_namespace(l->ns);
		check_word("link name", l->name);
		check_mac(l->mac);
		if (l->ifindex <= 0)
			throw std::invalid_argument("topology: link " + l->name + " needs an explicit ifindex");
		if (l->mtu < 0)
			throw std::invalid_argument("topology: bad MTU for " + l->name);
		for (const auto &[x, y] : veths_)
			for (const Link *o : {&x, &y}) {
				if (o->ns == l->ns && o->name == l->name)
					throw std::invalid_argument("topology: link " + l->name + " declared twice in " +
								    l->ns);
				// Unique in the whole topology, not just per namespace: the
				// index is what ties a trace line to one link.
				if (o->ifindex == l->ifindex)
					throw std::invalid_argument("topology: ifindex " + std::to_string(l->ifindex) +
								    " used twice");
			}
	}
	if (la.ifindex == lb.ifindex || (la.ns == lb.ns && la.name == lb.name))
		throw std::invalid_argument("topology: the two ends of " + la.name + " must differ");
	veths_.emplace_back(la, lb);
	return {la.name, lb.name};
}

void Topology::add_address(const std::string &ns, const std::string &link, const std::string &cidr)
{
	check_declarable();
	find_link(ns, link);
	check_word("address", cidr);
	steps_[ns].push_back({"address", "add", cidr, "dev", link});
}

void Topology::add_neighbour(const std::string &ns, const std::string &link, const std::string &ip,
			     const std::string &mac)
{
	check_declarable();
	find_link(ns, link);
	check_word("neighbour address", ip);
	check_mac(mac);
	steps_[ns].push_back({"neigh", "replace", ip, "lladdr", mac, "dev", link, "nud", "permanent"});
}

void Topology::add_route(const std::string &ns, const std::vector<std::string> &spec)
{
	check_declarable();
	find_namespace(ns);
	if (spec.empty())
		throw std::invalid_argument("empty route");
	Line line{"route", "replace"};
	for (const auto &w : spec) {
		check_word("route word", w);
		line.push_back(w);
	}
	steps_[ns].push_back(line);
}

void Topology::set_offload(const std::string &ns, const std::string &link, const std::string &feature, bool on)
{
	check_declarable();
	find_link(ns, link);
	check_word("offload feature", feature);
	auto it = std::find_if(offloads_.begin(), offloads_.end(),
			       [&](const Offload &o) { return o.ns == ns && o.link == link; });
	if (it == offloads_.end())
		it = offloads_.insert(offloads_.end(), Offload{ns, link, {}});
	for (auto &f : it->features)
		if (f.first == feature) {
			f.second = on;
			return;
		}
	it->features.emplace_back(feature, on);
}

void Topology::set_mtu(const std::string &ns, const std::string &link, int mtu)
{
	check_declarable();
	if (mtu <= 0)
		throw std::invalid_argument("topology: bad MTU " + std::to_string(mtu));
	find_link(ns, link).mtu = mtu;
}

void Topology::sysctl(const std::string &ns, const std::string &key, const std::string &value)
{
	check_declarable();
	find_namespace(ns);
	check_sysctl_key(key);
	if (value.find('\n') != std::string::npos)
		throw std::invalid_argument("topology: sysctl value with a newline for " + key);
	sysctls_.push_back({ns, key, value, false});
}

int Topology::ifindex(const std::string &ns, const std::string &link) const
{
	return find_link(ns, link).ifindex;
}

} // namespace xdplab
