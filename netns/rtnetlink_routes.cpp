// Addresses, neighbours and routes: `ip address add`, `ip neigh replace`,
// `ip route replace`, as iproute2 sends them.
#include "rtnetlink_request.h"

#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <optional>
#include <stdexcept>

namespace xdplab::rtnl {

namespace {

// An address in network order; prefix length from "/LEN" or the address's own.
struct Prefix {
	int family = 0;
	std::vector<unsigned char> bytes;
	unsigned char len = 0;
};
std::optional<Prefix> parse_prefix(const std::string &text)
{
	Prefix p;
	std::string addr = text.substr(0, text.find('/'));
	unsigned char raw[16];
	if (inet_pton(AF_INET, addr.c_str(), raw) == 1) {
		p.family = AF_INET;
		p.bytes.assign(raw, raw + 4);
	} else if (inet_pton(AF_INET6, addr.c_str(), raw) == 1) {
		p.family = AF_INET6;
		p.bytes.assign(raw, raw + 16);
	} else {
		return std::nullopt;
	}
	p.len = static_cast<unsigned char>(p.bytes.size() * 8);
	if (auto slash = text.find('/'); slash != std::string::npos) {
		std::string l = text.substr(slash + 1);
		if (l.empty() || l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos ||
		    std::stoul(l) > p.bytes.size() * 8)
			return std::nullopt;
		p.len = static_cast<unsigned char>(std::stoul(l));
	}
	return p;
}

} // namespace

// An address the caller must have, or bad input naming the command it was for.
static Prefix address_of(const std::string &text, const std::string &what)
{
	auto p = parse_prefix(text);
	if (!p)
		throw std::invalid_argument(what + ": not an address");
	return *p;
}

void add_address(const std::string &ns, int ifindex, const std::string &cidr)
{
	std::string what = "ip -n " + ns + " address add " + cidr + " (ifindex " + std::to_string(ifindex) + ")";
	auto p = address_of(cidr, what);
	Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	auto *ifa = m.extra<ifaddrmsg>();
	ifa->ifa_family = static_cast<unsigned char>(p.family);
	ifa->ifa_prefixlen = p.len;
	ifa->ifa_index = static_cast<unsigned>(ifindex);
	// As iproute2 without a peer: the local address is also the address.
	mnl_attr_put(m.nlh, IFA_LOCAL, p.bytes.size(), p.bytes.data());
	mnl_attr_put(m.nlh, IFA_ADDRESS, p.bytes.size(), p.bytes.data());
	request(ns, m, what);
}

void replace_neighbour(const std::string &ns, int ifindex, const std::string &ip, const std::string &mac)
{
	std::string what = "ip -n " + ns + " neigh replace " + ip + " lladdr " + mac;
	auto p = address_of(ip, what);
	Message m(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	auto *nd = m.extra<ndmsg>();
	nd->ndm_family = static_cast<unsigned char>(p.family);
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(m.nlh, NDA_DST, p.bytes.size(), p.bytes.data());
	auto lladdr = mac_bytes(mac);
	mnl_attr_put(m.nlh, NDA_LLADDR, lladdr.size(), lladdr.data());
	request(ns, m, what);
}

std::optional<Route> parse_route(const std::vector<std::string> &words)
{
	Route r;
	size_t i = 0;
	if (i < words.size() && words[i] == "to")
		++i;
	if (i >= words.size())
		return std::nullopt;
	if (words[i] != "default") {
		auto p = parse_prefix(words[i]);
		if (!p)
			return std::nullopt;
		r.family = p->family;
		r.dst = p->bytes;
		r.dst_len = p->len;
	}
	for (++i; i + 1 < words.size(); i += 2) {
		if (words[i] == "via" && r.gateway.empty()) {
			auto g = parse_prefix(words[i + 1]);
			if (!g || words[i + 1].find('/') != std::string::npos || (r.family && g->family != r.family))
				return std::nullopt;
			r.family = g->family;
			r.gateway = g->bytes;
		} else if (words[i] == "dev" && r.dev.empty()) {
			r.dev = words[i + 1];
		} else {
			return std::nullopt;
		}
	}
	if (i != words.size() || !r.family || (r.gateway.empty() && r.dev.empty()))
		return std::nullopt;
	return r;
}

void replace_route(const std::string &ns, const Route &r, int oif)
{
	Message m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
	auto *rt = m.extra<rtmsg>();
	rt->rtm_family = static_cast<unsigned char>(r.family);
	rt->rtm_dst_len = r.dst_len;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT; // what iproute2 marks a route added by hand with
	rt->rtm_scope = r.gateway.empty() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	if (r.dst_len)
		mnl_attr_put(m.nlh, RTA_DST, r.dst.size(), r.dst.data());
	if (!r.gateway.empty())
		mnl_attr_put(m.nlh, RTA_GATEWAY, r.gateway.size(), r.gateway.data());
	if (oif)
		mnl_attr_put_u32(m.nlh, RTA_OIF, static_cast<uint32_t>(oif));
	request(ns, m, "ip -n " + ns + " route replace");
}

} // namespace xdplab::rtnl
