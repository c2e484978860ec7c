// The request machinery under rtnetlink.h's functions: a message built
// with libmnl, sent from inside a namespace, its ack (with the kernel's
// extended-ack text) turned into rtnl::Error. Internal to netns/.
#pragma once
#include "rtnetlink.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace xdplab::rtnl {

[[noreturn]] void fail(const std::string &what, int e);

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

// Sends one request from inside namespace ns ("": this thread's) and waits
// for its ack; every other message of the answer goes to on_reply.
void request(const std::string &ns, Message &m, const std::string &what,
	     const std::function<void(const nlmsghdr *)> &on_reply = {});

// "02:58:4c:00:01:00" as its 6 bytes; std::invalid_argument for anything else.
std::vector<unsigned char> mac_bytes(const std::string &mac);

} // namespace xdplab::rtnl
