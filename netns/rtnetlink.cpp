#include "rtnetlink.h"

#include "netns_scope.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace xdplab::rtnl {

Error::Error(const std::string &what, int e, const std::string &ack)
	: std::runtime_error(what + ": " + strerror(e) + (ack.empty() ? "" : " (" + ack + ")")), err(e), extack(ack)
{
}

namespace {

constexpr const char *kRunDir = "/run/netns";

[[noreturn]] void fail(const std::string &what, int e)
{
	throw Error(what, e, "");
}

// A request's buffer; nlmsghdr first.
struct Message {
	alignas(nlmsghdr) char buf[8192];
	nlmsghdr *nlh;
	Message(uint16_t type, uint16_t flags)
	{
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = type;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	}
	template <class T> T *extra()
	{
		return static_cast<T *>(mnl_nlmsg_put_extra_header(nlh, sizeof(T)));
	}
};

// The kernel's words from an error's extended ack (NLMSGERR_ATTR_MSG).
std::string extack_of(const nlmsghdr *nlh)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	auto *e = static_cast<const nlmsgerr *>(mnl_nlmsg_get_payload(nlh));
	size_t off = sizeof(nlmsghdr) + sizeof(nlmsgerr);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(nlmsghdr); // the request is echoed whole
	if (off >= nlh->nlmsg_len)
		return "";
	std::string msg;
	auto cb = [](const nlattr *a, void *data) -> int {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			*static_cast<std::string *>(data) = mnl_attr_get_str(a);
		return MNL_CB_OK;
	};
	mnl_attr_parse_payload(reinterpret_cast<const char *>(nlh) + off, nlh->nlmsg_len - off, cb, &msg);
	return msg;
}

// Sends one request from inside namespace ns ("": this thread's) and waits
// for its ack; every other message of the answer goes to on_reply.
void request(const std::string &ns, Message &m, const std::string &what,
	     const std::function<void(const nlmsghdr *)> &on_reply = {})
{
	std::unique_ptr<mnl_socket, decltype(&mnl_socket_close)> s(nullptr, mnl_socket_close);
	{
		NetnsScope in(ns); // a netlink socket stays in the namespace it was opened in
		s.reset(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
	}
	if (!s)
		fail(what + ": netlink socket", errno);
	int one = 1;
	mnl_socket_setsockopt(s.get(), NETLINK_EXT_ACK, &one, sizeof one); // extended acks where the kernel has them
	if (mnl_socket_bind(s.get(), 0, MNL_SOCKET_AUTOPID) < 0)
		fail(what + ": netlink bind", errno);
	m.nlh->nlmsg_seq = 1;
	if (mnl_socket_sendto(s.get(), m.nlh, m.nlh->nlmsg_len) < 0)
		fail(what, errno);
	alignas(nlmsghdr) char buf[16384];
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s.get(), buf, sizeof buf);
		if (n < 0)
			fail(what, errno);
		for (auto *r = reinterpret_cast<const nlmsghdr *>(buf); mnl_nlmsg_ok(r, static_cast<int>(n));
		     r = mnl_nlmsg_next(r, reinterpret_cast<int *>(&n))) {
			if (r->nlmsg_type != NLMSG_ERROR) {
				if (on_reply)
					on_reply(r);
				continue;
			}
			auto *e = static_cast<const nlmsgerr *>(mnl_nlmsg_get_payload(r));
			if (e->error == 0)
				return;
			throw Error(what, -e->error, extack_of(r));
		}
	}
}

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

std::vector<unsigned char> parse_mac(const std::string &mac)
{
	std::vector<unsigned char> b(6);
	if (sscanf(mac.c_str(), "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		throw std::invalid_argument("bad MAC address " + mac);
	return b;
}

struct Fd {
	int fd;
	explicit Fd(int f) : fd(f) {}
	~Fd()
	{
		if (fd >= 0)
			close(fd);
	}
};

// `mount --make-rshared /run/netns`, bind-mounting it onto itself first when
// it is not a mount point: a namespace pinned below it then shows in every
// mount namespace that shares /run/netns, as iproute2 arranges it.
void share_run_dir()
{
	if (mkdir(kRunDir, 0755) != 0 && errno != EEXIST)
		fail(std::string("mkdir ") + kRunDir, errno);
	bool bound = false;
	while (mount("", kRunDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
		if (errno != EINVAL || bound)
			fail(std::string("mount --make-rshared ") + kRunDir, errno);
		if (mount(kRunDir, kRunDir, "none", MS_BIND | MS_REC, nullptr) != 0)
			fail(std::string("mount --bind ") + kRunDir, errno);
		bound = true;
	}
}

// The link half of a veth end's request: name, namespace, index is in the ifinfomsg.
void put_end(nlmsghdr *nlh, const VethEnd &e, int ns_fd)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, e.name.c_str());
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(ns_fd));
	auto mac = parse_mac(e.mac);
	mnl_attr_put(nlh, IFLA_ADDRESS, mac.size(), mac.data());
	if (e.mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, static_cast<uint32_t>(e.mtu));
}

} // namespace

void add_netns(const std::string &name)
{
	static std::mutex run_dir_mu; // two first namespaces must not both bind /run/netns onto itself
	{
		std::lock_guard<std::mutex> lock(run_dir_mu);
		share_run_dir();
	}
	std::string path = netns_path(name);
	int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		fail("ip netns add " + name, errno);
	close(fd);
	// unshare() moves only the calling thread: a thread of its own, which
	// leaves the namespace pinned by the bind mount when it ends.
	int err = 0;
	std::thread([&] {
		if (unshare(CLONE_NEWNET) != 0) {
			err = errno;
			return;
		}
		std::string self = "/proc/self/task/" + std::to_string(syscall(SYS_gettid)) + "/ns/net";
		if (mount(self.c_str(), path.c_str(), "none", MS_BIND, nullptr) != 0)
			err = errno;
	}).join();
	if (err) {
		unlink(path.c_str());
		fail("ip netns add " + name, err);
	}
}

void delete_netns(const std::string &name)
{
	std::string path = netns_path(name);
	umount2(path.c_str(), MNT_DETACH); // EINVAL: not mounted (a failed add); the file still goes
	if (unlink(path.c_str()) != 0 && errno != ENOENT)
		fail("ip netns del " + name, errno);
}

void add_veth(const VethEnd &a, const VethEnd &b)
{
	Fd fa(open(netns_path(a.ns).c_str(), O_RDONLY | O_CLOEXEC)), fb(open(netns_path(b.ns).c_str(), O_RDONLY | O_CLOEXEC));
	std::string what = "ip link add " + a.name + " type veth peer name " + b.name;
	if (fa.fd < 0 || fb.fd < 0)
		fail(what + ": open namespace", errno);
	Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	auto *ifm = m.extra<ifinfomsg>();
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = a.ifindex;
	put_end(m.nlh, a, fa.fd);
	nlattr *info = mnl_attr_nest_start(m.nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(m.nlh, IFLA_INFO_KIND, "veth");
	nlattr *data = mnl_attr_nest_start(m.nlh, IFLA_INFO_DATA);
	nlattr *peer = mnl_attr_nest_start(m.nlh, VETH_INFO_PEER);
	// The peer's own ifinfomsg opens its attribute, then its link attributes.
	auto *pifm = static_cast<ifinfomsg *>(mnl_nlmsg_get_payload_tail(m.nlh));
	m.nlh->nlmsg_len += MNL_ALIGN(sizeof(ifinfomsg));
	memset(pifm, 0, sizeof *pifm);
	pifm->ifi_index = b.ifindex;
	put_end(m.nlh, b, fb.fd);
	mnl_attr_nest_end(m.nlh, peer);
	mnl_attr_nest_end(m.nlh, data);
	mnl_attr_nest_end(m.nlh, info);
	request("", m, what);
}

void set_up(const std::string &ns, const std::string &link)
{
	Message m(RTM_NEWLINK, 0);
	auto *ifm = m.extra<ifinfomsg>();
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_strz(m.nlh, IFLA_IFNAME, link.c_str());
	request(ns, m, "ip -n " + ns + " link set dev " + link + " up");
}

void set_mtu(const std::string &ns, int ifindex, int mtu)
{
	Message m(RTM_NEWLINK, 0);
	auto *ifm = m.extra<ifinfomsg>();
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(m.nlh, IFLA_MTU, static_cast<uint32_t>(mtu));
	request(ns, m, "ip -n " + ns + " link set dev (ifindex " + std::to_string(ifindex) + ") mtu " + std::to_string(mtu));
}

LinkState link_state(const std::string &ns, int ifindex)
{
	Message m(RTM_GETLINK, 0);
	auto *ifm = m.extra<ifinfomsg>();
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	LinkState out;
	request(ns, m, "ip -n " + ns + " -s link show (ifindex " + std::to_string(ifindex) + ")", [&](const nlmsghdr *r) {
		if (r->nlmsg_type != RTM_NEWLINK)
			return;
		auto cb = [](const nlattr *a, void *data) -> int {
			auto &st = *static_cast<LinkState *>(data);
			switch (mnl_attr_get_type(a)) {
			case IFLA_MTU: st.mtu = static_cast<int>(mnl_attr_get_u32(a)); break;
			case IFLA_MAX_MTU: st.max_mtu = static_cast<int>(mnl_attr_get_u32(a)); break;
			case IFLA_STATS64: {
				rtnl_link_stats64 v{};
				std::memcpy(&v, mnl_attr_get_payload(a),
					    std::min<size_t>(sizeof v, mnl_attr_get_payload_len(a)));
				st.stats = {{"rx_packets", v.rx_packets}, {"tx_packets", v.tx_packets},
					    {"rx_bytes", v.rx_bytes},     {"tx_bytes", v.tx_bytes},
					    {"rx_errors", v.rx_errors},   {"tx_errors", v.tx_errors},
					    {"rx_dropped", v.rx_dropped}, {"tx_dropped", v.tx_dropped},
					    {"multicast", v.multicast},   {"rx_nohandler", v.rx_nohandler}};
				break;
			}
			default: break;
			}
			return MNL_CB_OK;
		};
		mnl_attr_parse(r, sizeof(ifinfomsg), cb, &out);
	});
	return out;
}

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
	auto lladdr = parse_mac(mac);
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
