#include "rtnetlink_request.h"

#include "netns_scope.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace xdplab::rtnl {

Error::Error(const std::string &what, int e, const std::string &ack)
	: std::runtime_error(what + ": " + strerror(e) + (ack.empty() ? "" : " (" + ack + ")")), err(e), extack(ack)
{
}

void fail(const std::string &what, int e)
{
	throw Error(what, e, "");
}

namespace {

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

} // namespace

void request(const std::string &ns, Message &m, const std::string &what,
	     const std::function<void(const nlmsghdr *)> &on_reply)
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

std::vector<unsigned char> mac_bytes(const std::string &mac)
{
	std::vector<unsigned char> b(6);
	if (sscanf(mac.c_str(), "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		throw std::invalid_argument("bad MAC address " + mac);
	return b;
}

} // namespace xdplab::rtnl
