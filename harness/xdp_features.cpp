#include "xdp_features.h"

#include "../netns/netns_scope.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <stdexcept>

namespace xdplab {

namespace {
// From the kernel's include/uapi/linux/netdev.h (6.3+). Bookworm's
// linux-libc-dev (6.1) has no such header, so the few numbers used are here.
constexpr const char *kNetdevFamilyName = "netdev";
constexpr uint8_t kNetdevFamilyVersion = 1;
constexpr uint8_t kNetdevCmdDevGet = 1;       // NETDEV_CMD_DEV_GET
constexpr uint16_t kNetdevADevIfindex = 1;    // NETDEV_A_DEV_IFINDEX, u32
constexpr uint16_t kNetdevADevXdpFeatures = 3; // NETDEV_A_DEV_XDP_FEATURES, u64 of NETDEV_XDP_ACT_*

// enum netdev_xdp_act, bit by bit (spelled as in the kernel's netdev.yaml).
const char *const kXdpActNames[] = {"basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg",
				    "ndo-xmit-sg"};

// Netlink headers are 4-byte aligned in the buffer but nothing guarantees
// the buffer itself is: copy them out instead of casting.
template <typename T> T load(const uint8_t *p)
{
	T v;
	std::memcpy(&v, p, sizeof(v));
	return v;
}

std::map<uint16_t, std::vector<uint8_t>> parse_attrs(const uint8_t *p, size_t len)
{
	std::map<uint16_t, std::vector<uint8_t>> out;
	size_t off = 0;
	while (off + NLA_HDRLEN <= len) {
		auto a = load<nlattr>(p + off);
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len - off)
			throw std::runtime_error("netlink: malformed attribute");
		uint16_t type = a.nla_type & NLA_TYPE_MASK;
		if (!out.count(type))
			out[type].assign(p + off + NLA_HDRLEN, p + off + a.nla_len);
		off += NLA_ALIGN(a.nla_len);
	}
	return out;
}

class GenlRequest {
public:
	GenlRequest(uint16_t family, uint8_t cmd, uint8_t version, uint32_t seq) : buf_(NLMSG_HDRLEN + GENL_HDRLEN)
	{
		nlmsghdr h{};
		h.nlmsg_type = family;
		h.nlmsg_flags = NLM_F_REQUEST;
		h.nlmsg_seq = seq;
		std::memcpy(buf_.data(), &h, sizeof(h));
		genlmsghdr g{};
		g.cmd = cmd;
		g.version = version;
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &g, sizeof(g));
	}

	void put(uint16_t type, const void *data, size_t len)
	{
		nlattr a{};
		a.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
		a.nla_type = type;
		size_t off = buf_.size();
		buf_.resize(off + NLA_ALIGN(a.nla_len), 0);
		std::memcpy(buf_.data() + off, &a, sizeof(a));
		std::memcpy(buf_.data() + off + NLA_HDRLEN, data, len);
	}

	// The finished message, its length filled in.
	const std::vector<uint8_t> &bytes()
	{
		uint32_t len = static_cast<uint32_t>(buf_.size());
		std::memcpy(buf_.data() + offsetof(nlmsghdr, nlmsg_len), &len, sizeof(len));
		return buf_;
	}

private:
	std::vector<uint8_t> buf_;
};

class GenlSocket {
public:
	GenlSocket()
	{
		fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		if (fd_ < 0)
			throw std::runtime_error(std::string("generic netlink socket: ") + strerror(errno));
		// The kernel's reason in error replies; kernels without it just say less.
		int one = 1;
		setsockopt(fd_, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		// The kernel answers at once; a bound wait turns a surprise into an error, not a hang.
		timeval tv{5, 0};
		setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	~GenlSocket() { close(fd_); }
	GenlSocket(const GenlSocket &) = delete;
	GenlSocket &operator=(const GenlSocket &) = delete;

	GenlReply exchange(GenlRequest &req, uint32_t seq)
	{
		const auto &out = req.bytes();
		sockaddr_nl kernel{};
		kernel.nl_family = AF_NETLINK;
		if (sendto(fd_, out.data(), out.size(), 0, reinterpret_cast<sockaddr *>(&kernel), sizeof(kernel)) !=
		    static_cast<ssize_t>(out.size()))
			throw std::runtime_error(std::string("generic netlink send: ") + strerror(errno));
		// Peek for the size: a family description runs to a few kilobytes.
		ssize_t n = recv(fd_, nullptr, 0, MSG_PEEK | MSG_TRUNC);
		if (n < 0)
			throw std::runtime_error(std::string("generic netlink receive: ") + strerror(errno));
		std::vector<uint8_t> in(static_cast<size_t>(n));
		n = recv(fd_, in.data(), in.size(), 0);
		if (n < 0)
			throw std::runtime_error(std::string("generic netlink receive: ") + strerror(errno));
		return parse_genl_reply(in.data(), static_cast<size_t>(n), seq);
	}

private:
	int fd_ = -1;
};

std::string failure(const char *what, const GenlReply &r)
{
	return std::string(what) + ": " + strerror(r.error) + (r.message.empty() ? "" : " (" + r.message + ")");
}
} // namespace

std::vector<std::string> xdp_feature_names(uint64_t mask)
{
	std::vector<std::string> out;
	for (unsigned bit = 0; bit < 64; ++bit) {
		if (!(mask & (uint64_t{1} << bit)))
			continue;
		if (bit < std::size(kXdpActNames))
			out.push_back(kXdpActNames[bit]);
		else
			out.push_back("bit" + std::to_string(bit));
	}
	return out;
}

GenlReply parse_genl_reply(const uint8_t *buf, size_t len, uint32_t seq)
{
	size_t off = 0;
	while (off + NLMSG_HDRLEN <= len) {
		auto h = load<nlmsghdr>(buf + off);
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			throw std::runtime_error("netlink: malformed message");
		const uint8_t *payload = buf + off + NLMSG_HDRLEN;
		size_t plen = h.nlmsg_len - NLMSG_HDRLEN;
		off += NLMSG_ALIGN(h.nlmsg_len);
		if (h.nlmsg_seq != seq || h.nlmsg_type == NLMSG_NOOP || h.nlmsg_type == NLMSG_DONE)
			continue;
		GenlReply r;
		if (h.nlmsg_type == NLMSG_ERROR) {
			if (plen < sizeof(nlmsgerr))
				throw std::runtime_error("netlink: short error message");
			auto e = load<nlmsgerr>(payload);
			r.error = -e.error;
			// Extended ack attributes follow the echoed request (only its
			// header when the kernel capped it).
			if (h.nlmsg_flags & NLM_F_ACK_TLVS) {
				size_t skip = sizeof(int) + ((h.nlmsg_flags & NLM_F_CAPPED) ? NLMSG_HDRLEN
											 : NLMSG_ALIGN(e.msg.nlmsg_len));
				if (skip <= plen) {
					auto tlv = parse_attrs(payload + skip, plen - skip);
					auto msg = tlv.find(NLMSGERR_ATTR_MSG);
					if (msg != tlv.end())
						r.message.assign(msg->second.begin(),
								 std::find(msg->second.begin(), msg->second.end(), 0));
				}
			}
			return r;
		}
		if (plen < GENL_HDRLEN)
			throw std::runtime_error("netlink: short generic netlink message");
		r.attrs = parse_attrs(payload + GENL_HDRLEN, plen - GENL_HDRLEN);
		return r;
	}
	throw std::runtime_error("netlink: no reply to request " + std::to_string(seq));
}

std::optional<uint64_t> xdp_features_of(const GenlReply &reply)
{
	auto it = reply.attrs.find(kNetdevADevXdpFeatures);
	if (it == reply.attrs.end() || it->second.size() != sizeof(uint64_t))
		return std::nullopt;
	return load<uint64_t>(it->second.data());
}

std::optional<uint64_t> xdp_features_mask(const std::string &netns, int ifindex)
{
	// A netlink socket answers for the namespace it was created in.
	NetnsScope scope(netns);
	GenlSocket sock;

	GenlRequest family(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 1);
	family.put(CTRL_ATTR_FAMILY_NAME, kNetdevFamilyName, std::strlen(kNetdevFamilyName) + 1);
	auto fr = sock.exchange(family, 1);
	if (fr.error == ENOENT)
		return std::nullopt; // no "netdev" family: the kernel predates 6.3
	if (fr.error)
		throw std::runtime_error(failure("generic netlink family \"netdev\"", fr));
	auto id = fr.attrs.find(CTRL_ATTR_FAMILY_ID);
	if (id == fr.attrs.end() || id->second.size() != sizeof(uint16_t))
		throw std::runtime_error("generic netlink family \"netdev\": reply without a family id");

	GenlRequest get(load<uint16_t>(id->second.data()), kNetdevCmdDevGet, kNetdevFamilyVersion, 2);
	uint32_t idx = static_cast<uint32_t>(ifindex);
	get.put(kNetdevADevIfindex, &idx, sizeof(idx));
	auto dr = sock.exchange(get, 2);
	if (dr.error)
		throw std::runtime_error(failure(("netdev dev-get ifindex " + std::to_string(ifindex)).c_str(), dr));
	auto mask = xdp_features_of(dr);
	if (!mask)
		throw std::runtime_error("netdev dev-get ifindex " + std::to_string(ifindex) +
					 ": reply without xdp-features");
	return mask;
}

std::optional<std::vector<std::string>> xdp_features(const std::string &netns, int ifindex)
{
	auto mask = xdp_features_mask(netns, ifindex);
	if (!mask)
		return std::nullopt;
	return xdp_feature_names(*mask);
}

} // namespace xdplab
