#include "tc_attach.h"

#include "../netns/netns_scope.h"
#include "libbpf_log.h"

#include <bpf/libbpf.h>
#include <net/if.h>

#include <cstring>
#include <iostream>

namespace xdplab {

std::unique_ptr<TcAttachment> TcAttachment::try_attach(const std::string &ns, const std::string &link, int prog_fd,
						       AttachFailure &failure)
{
	LibbpfLogCapture log;
	NetnsScope scope(ns); // libbpf's netlink socket opens in this thread's namespace
	int ifindex = static_cast<int>(if_nametoindex(link.c_str()));
	if (!ifindex) {
		failure = {ENODEV, "no link " + link};
		return nullptr;
	}
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	if (int err = bpf_tc_hook_create(&hook); err && err != -EEXIST) {
		failure = {-err, log.kernel_message()};
		return nullptr;
	}
	std::unique_ptr<TcAttachment> a(new TcAttachment());
	a->ns_ = ns;
	a->link_ = link;
	a->ifindex_ = ifindex;
	a->attached_ = true; // the qdisc exists: detach() removes it, whatever follows
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
	if (int err = bpf_tc_attach(&hook, &opts)) {
		failure = {-err, log.kernel_message()};
		return nullptr; // a's destructor removes the qdisc
	}
	return a;
}

TcAttachment::~TcAttachment()
{
	if (auto problem = detach())
		std::cerr << "xdplab: " << *problem << "\n";
}

std::optional<std::string> TcAttachment::detach() noexcept
{
	if (!attached_)
		return std::nullopt;
	attached_ = false;
	try {
		NetnsScope scope(ns_);
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex_, .attach_point = static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS));
		if (int err = bpf_tc_hook_destroy(&hook); err && err != -ENOENT)
			return "remove the clsact qdisc of " + link_ + " in " + ns_ + ": " + strerror(-err);
	} catch (const std::exception &e) {
		return "remove the clsact qdisc of " + link_ + " in " + ns_ + ": " + e.what();
	}
	return std::nullopt;
}

std::string TcAttachment::command(const std::string &ns, const std::string &link, const std::string &object_file,
				  const std::string &program)
{
	return "ip netns exec " + ns + " tc qdisc add dev " + link + " clsact && ip netns exec " + ns +
	       " tc filter add dev " + link + " ingress bpf direct-action obj " + object_file + "   # program " + program +
	       " (tc picks it by its section)";
}

} // namespace xdplab
