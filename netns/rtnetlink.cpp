// Namespaces and links: `ip netns add/del`, veth pairs, up, MTU, and what a
// link reports of itself. (Addresses, neighbours and routes: rtnetlink_routes.cpp.)
#include "rtnetlink_request.h"

#include "netns_scope.h"

#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

namespace xdplab::rtnl {

namespace {

constexpr const char *kRunDir = "/run/netns";

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
	auto mac = mac_bytes(e.mac);
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
			case IFLA_OPERSTATE: st.operstate = mnl_attr_get_u8(a); break;
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

} // namespace xdplab::rtnl
