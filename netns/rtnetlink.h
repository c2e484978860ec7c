// The requests a topology makes, sent from this process over rtnetlink
// (libmnl builds and parses the messages) instead of through `ip`: in a TCG
// guest every process costs a few hundred milliseconds, and a subtest's
// topology used to start five or more. Each request is the one iproute2
// sends for the command topology.h prints, so --explain stays the way to
// rebuild the same topology by hand.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab::rtnl {

// The kernel refused a request: its errno, and its extended ack when it gave one.
struct Error : std::runtime_error {
	Error(const std::string &what, int err, const std::string &extack);
	int err;
	std::string extack;
};

// `ip netns add NAME`: a new network namespace, pinned by a bind mount on
// /run/netns/NAME, with nothing in it but lo (down). Throws when NAME exists.
void add_netns(const std::string &name);
// `ip netns del NAME`: unpins it; the kernel frees it when its last user goes.
void delete_netns(const std::string &name);

struct VethEnd {
	std::string ns, name, mac;
	int ifindex = 0, mtu = 0; // 0: the kernel chooses
};
// `ip link add A netns NS index I address M [mtu N] type veth peer name B netns ...`.
void add_veth(const VethEnd &a, const VethEnd &b);

// `ip -n NS link set dev NAME up`.
void set_up(const std::string &ns, const std::string &link);
// `ip -n NS link set dev LINK mtu N`.
void set_mtu(const std::string &ns, int ifindex, int mtu);
// What `ip -n NS -s -d link show LINK` prints of a link: its MTU, the largest
// it accepts now (IFLA_MAX_MTU: a veth lowers its peer's while it runs XDP)
// and the 64-bit counters.
struct LinkState {
	int mtu = 0, max_mtu = 0;
	int operstate = -1; // IFLA_OPERSTATE: IF_OPER_UP once the kernel's linkwatch saw the carrier
	std::map<std::string, unsigned long long> stats; // rx_packets, tx_packets, rx_dropped, ...
};
LinkState link_state(const std::string &ns, int ifindex);
// `ip -n NS address add CIDR dev LINK`.
void add_address(const std::string &ns, int ifindex, const std::string &cidr);
// `ip -n NS neigh replace IP lladdr MAC dev LINK nud permanent`.
void replace_neighbour(const std::string &ns, int ifindex, const std::string &ip, const std::string &mac);

// `ip -n NS route replace WORDS` for WORDS of the form
//   (default | PREFIX[/LEN]) [via ADDRESS] [dev LINK]
// with dev's index from ifindex_of. nullopt: words beyond that form, for
// the caller to hand to iproute2 itself.
struct Route {
	int family = 0;
	unsigned char dst_len = 0;
	std::vector<unsigned char> dst, gateway; // network order; empty: none
	std::string dev;
};
std::optional<Route> parse_route(const std::vector<std::string> &words);
void replace_route(const std::string &ns, const Route &r, int oif);

} // namespace xdplab::rtnl
