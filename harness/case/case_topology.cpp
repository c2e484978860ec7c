#include "case_topology.h"

#include "../../netns/address.h"
#include "../../netns/topology.h"
#include "../subtest_context.h"

#include <sys/socket.h>

#include <cstdio>
#include <stdexcept>

namespace xdplab {

const CaseLink &CaseNetwork::link(const std::string &name) const
{
	auto it = links.find(name);
	if (it == links.end())
		throw std::invalid_argument("the case has no link " + name);
	return it->second;
}

const CaseLink *CaseNetwork::owner_of(const std::string &address) const
{
	for (const auto &[name, l] : links)
		for (const auto &a : l.addresses)
			if (a.substr(0, a.find('/')) == address)
				return &l;
	return nullptr;
}

std::string sysctl_key_for(const CaseNetwork &net, const std::string &ns_role, const std::string &key)
{
	std::string out;
	size_t pos = 0;
	while (pos <= key.size()) {
		size_t end = key.find('.', pos);
		if (end == std::string::npos)
			end = key.size();
		std::string part = key.substr(pos, end - pos);
		auto it = net.links.find(part);
		if (it != net.links.end() && it->second.ns_role == ns_role)
			part = it->second.dev;
		out += (out.empty() ? "" : ".") + part;
		pos = end + 1;
	}
	return out;
}

CaseNetwork declare_case_network(Topology &topo, const CaseSpec &spec, const SubtestContext &ctx)
{
	CaseNetwork net;
	// A namespace with an IPv6 address has IPv6 on, whether or not the case says so.
	std::map<std::string, bool> ipv6;
	for (const auto &n : spec.namespaces)
		ipv6[n.name] = n.ipv6;
	for (const auto &l : spec.links)
		for (const auto &a : l.addresses)
			if (auto ip = parse_ip(a); ip && ip->family == AF_INET6)
				ipv6[l.ns] = true;
	for (const auto &n : spec.namespaces)
		net.namespaces[n.name] = topo.add_namespace(n.name, NamespaceOptions{.ipv6 = ipv6[n.name]});

	// Links in the order written; the k-th link gets the subtest's k-th ifindex.
	unsigned k = 0;
	for (const auto &l : spec.links) {
		CaseLink c;
		c.name = l.name;
		c.ns_role = l.ns;
		c.ns = net.namespaces.at(l.ns);
		c.peer = l.peer;
		c.ifindex = ctx.ifindex(k);
		c.addresses = l.addresses;
		char mac[18];
		snprintf(mac, sizeof(mac), "02:58:4c:%02x:%02x:%02x", (ctx.case_id >> 8) & 0xff, ctx.case_id & 0xff, k);
		c.mac = l.mac.empty() ? std::string(mac) : l.mac;
		net.links[l.name] = c;
		++k;
	}
	for (auto &[name, c] : net.links)
		c.peer_ifindex = net.links.at(c.peer).ifindex;

	// Each pair once, in the order its first end was written.
	for (const auto &l : spec.links) {
		CaseLink &a = net.links.at(l.name), &b = net.links.at(l.peer);
		if (!a.dev.empty())
			continue;
		const LinkSpec &lb = *spec.link(l.peer);
		auto [da, db] = topo.add_veth({a.ns, a.name, a.mac, a.ifindex, l.mtu}, {b.ns, b.name, b.mac, b.ifindex, lb.mtu});
		a.dev = da;
		b.dev = db;
	}
	for (const auto &l : spec.links) {
		const CaseLink &c = net.links.at(l.name);
		for (const auto &a : l.addresses)
			topo.add_address(c.ns, c.dev, a);
		for (const auto &[feature, on] : l.offloads)
			topo.set_offload(c.ns, c.dev, feature, on);
	}
	// No ARP or ND on test links: each end knows its peer's addresses, so only
	// the case's own frames move (and a gateway that is the peer is known).
	for (const auto &[name, c] : net.links) {
		const CaseLink &p = net.links.at(c.peer);
		for (const auto &a : p.addresses)
			topo.add_neighbour(c.ns, c.dev, a.substr(0, a.find('/')), p.mac);
	}
	for (const auto &n : spec.namespaces) {
		for (const auto &r : n.routes)
			topo.add_route(net.namespaces.at(n.name), r);
		for (const auto &[key, value] : n.sysctls)
			topo.sysctl(net.namespaces.at(n.name), sysctl_key_for(net, n.name, key), value);
	}
	return net;
}

} // namespace xdplab
