// A BPF program on a link's tc ingress hook (a clsact qdisc, direct-action),
// inside a namespace: what a case needs to see an skb after XDP_PASS, e.g.
// the metadata an XDP program left in front of the frame. Removed when the
// object goes away (the qdisc with it), before the topology removes the link.
#pragma once
#include "xdp_attach.h"

#include <memory>
#include <optional>
#include <string>

namespace xdplab {

class TcAttachment {
public:
	~TcAttachment();
	TcAttachment(const TcAttachment &) = delete;
	TcAttachment &operator=(const TcAttachment &) = delete;

	// Attaches, or fills `failure` and returns nullptr.
	static std::unique_ptr<TcAttachment> try_attach(const std::string &ns, const std::string &link, int prog_fd,
							AttachFailure &failure);
	// Removes the clsact qdisc and the program with it (once). What went wrong, or nullopt.
	std::optional<std::string> detach() noexcept;
	// Leave it attached (--keep).
	void keep() noexcept { attached_ = false; }
	// Equivalent commands, for --explain.
	static std::string command(const std::string &ns, const std::string &link, const std::string &object_file,
				   const std::string &program);

private:
	TcAttachment() = default;
	std::string ns_, link_;
	int ifindex_ = 0;
	bool attached_ = false;
};

} // namespace xdplab
