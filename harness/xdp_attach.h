// An XDP program attached to a link inside a namespace, detached when the
// object goes away (before the topology removes the link).
#pragma once
#include <memory>
#include <optional>
#include <string>

namespace xdplab {

enum class XdpMode { Native, Generic };
std::string to_string(XdpMode m); // "native" / "generic"
std::string ip_keyword(XdpMode m); // "xdpdrv" / "xdpgeneric"

struct AttachFailure {
	int err = 0;            // positive errno
	std::string message;    // the kernel's extack text, if any
};

class XdpAttachment {
public:
	// Detaches if detach() was not called, and prints a failure to stderr:
	// a program left on a link would act in later subtests unseen.
	~XdpAttachment();
	XdpAttachment(const XdpAttachment &) = delete;
	XdpAttachment &operator=(const XdpAttachment &) = delete;

	// Attaches, or fills `failure` and returns nullptr.
	static std::unique_ptr<XdpAttachment> try_attach(const std::string &ns, const std::string &link, int prog_fd,
							 XdpMode mode, AttachFailure &failure);
	// Attaches, or throws with the errno and the kernel's message.
	static std::unique_ptr<XdpAttachment> attach(const std::string &ns, const std::string &link, int prog_fd,
						     XdpMode mode);
	// Detaches (once; later calls do nothing and return nullopt). Returns what
	// went wrong, with errno text and the kernel's message, or nullopt.
	std::optional<std::string> detach() noexcept;
	// Leave the program attached (--keep): the kernel holds it after the harness exits.
	void keep() noexcept { attached_ = false; }
	// Equivalent command, for --explain and evidence.
	static std::string command(const std::string &ns, const std::string &link, unsigned prog_id, XdpMode mode);

private:
	XdpAttachment() = default;
	std::string ns_, link_;
	int ifindex_ = 0;
	unsigned flags_ = 0;
	bool attached_ = false;
};

} // namespace xdplab
