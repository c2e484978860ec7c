#include "xdp_attach.h"

#include "../netns/netns_scope.h"
#include "../netns/command.h"
#include "libbpf_log.h"

#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <cstring>
#include <iostream>
#include <stdexcept>

namespace xdplab {

std::string to_string(XdpMode m)
{
	return m == XdpMode::Native ? "native" : "generic";
}

std::string ip_keyword(XdpMode m)
{
	return m == XdpMode::Native ? "xdpdrv" : "xdpgeneric";
}

static unsigned mode_flags(XdpMode m)
{
	return m == XdpMode::Native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
}

std::unique_ptr<XdpAttachment> XdpAttachment::try_attach(const std::string &ns, const std::string &link, int prog_fd,
							 XdpMode mode, AttachFailure &failure)
{
	LibbpfLogCapture log;
	NetnsScope scope(ns);
	int ifindex = static_cast<int>(if_nametoindex(link.c_str()));
	if (!ifindex) {
		failure = {ENODEV, "no link " + link};
		return nullptr;
	}
	unsigned flags = mode_flags(mode);
	int err = bpf_xdp_attach(ifindex, prog_fd, flags, nullptr);
	if (err) {
		failure = {-err, log.kernel_message()};
		return nullptr;
	}
	std::unique_ptr<XdpAttachment> a(new XdpAttachment());
	a->ns_ = ns;
	a->link_ = link;
	a->ifindex_ = ifindex;
	a->flags_ = flags;
	a->attached_ = true;
	return a;
}

std::unique_ptr<XdpAttachment> XdpAttachment::attach(const std::string &ns, const std::string &link, int prog_fd,
						     XdpMode mode)
{
	AttachFailure f;
	auto a = try_attach(ns, link, prog_fd, mode, f);
	if (!a)
		throw std::runtime_error("cannot attach XDP (" + to_string(mode) + ") to " + link + " in " + ns + ": " +
					 strerror(f.err) + (f.message.empty() ? "" : " (" + f.message + ")"));
	return a;
}

XdpAttachment::~XdpAttachment()
{
	if (auto problem = detach())
		std::cerr << "xdplab: " << *problem << "\n";
}

std::optional<std::string> XdpAttachment::detach() noexcept
{
	if (!attached_)
		return std::nullopt;
	attached_ = false;
	std::string where = "detach XDP (" + std::string(flags_ & XDP_FLAGS_SKB_MODE ? "generic" : "native") +
			    ") from " + link_ + " in " + ns_;
	try {
		LibbpfLogCapture log;
		NetnsScope scope(ns_);
		int err = bpf_xdp_detach(ifindex_, flags_, nullptr);
		if (!err)
			return std::nullopt;
		std::string msg = log.kernel_message();
		return where + ": " + strerror(-err) + (msg.empty() ? "" : " (" + msg + ")");
	} catch (const std::exception &e) {
		return where + ": " + e.what();
	} catch (...) {
		return where + ": unknown error";
	}
}

std::string XdpAttachment::command(const std::string &ns, const std::string &link, unsigned prog_id, XdpMode mode)
{
	return shell_join({"ip", "netns", "exec", ns, "bpftool", "net", "attach", ip_keyword(mode), "id",
			   prog_id ? std::to_string(prog_id) : std::string("<prog-id>"), "dev", link});
}

} // namespace xdplab
