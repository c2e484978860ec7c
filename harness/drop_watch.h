// The kernel's word on frames no receiver saw, for the whole run
// (bpf/drop_watch.bpf.c): skb:kfree_skb on every harness link with the drop
// reason (5.17+), and, per watched XDP program, the verdict it returned for
// each frame (fexit). Subtests pick their own records: by the run-unique
// ifindex of a link, or by the id of a program they watch.
#pragma once
#include <linux/types.h>
extern "C" {
#include "../bpf/xdplab_event.h"
}

#include "frame.h"
#include "tools/icmp_echo.h"

#include <cstdint>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct ring_buffer;
struct drop_watch;

namespace xdplab {

struct DropRecord {
	enum class Kind { KfreeSkb, Verdict } kind;
	int ifindex = 0;      // kfree_skb: the skb's device
	uint32_t value = 0;   // kfree_skb: the reason code; verdict: the XDP action
	unsigned prog_id = 0; // verdict: the watched program
	uint64_t location = 0; // kfree_skb: where in the kernel
	std::vector<uint8_t> bytes; // kfree_skb: from the IP header; verdict: from the Ethernet header
};

// What a record is about: a tagged frame (run, case, seq), or an echo message.
std::optional<ParsedTag> record_tag(const DropRecord &r);
std::optional<EchoMessage> record_echo(const DropRecord &r);

class VerdictWatch; // a watched program: records while the object lives

class DropWatch {
public:
	// Loads and attaches the kfree_skb watcher. Throws std::runtime_error
	// (with libbpf's words) where it cannot be had: no BTF, no raw tracepoints.
	DropWatch();
	~DropWatch();
	DropWatch(const DropWatch &) = delete;
	DropWatch &operator=(const DropWatch &) = delete;

	// Records that arrived after `cursor`; advances it.
	std::vector<DropRecord> since(size_t &cursor);
	size_t cursor();
	// "NOT_SPECIFIED", "IP_INADDRERRORS", ...; "" before 5.17 (no reasons).
	std::string reason_name(uint32_t reason) const;
	bool has_reasons() const { return with_reason_; }
	// The kernel function an address is in ("veth_xdp_rcv_skb"), from
	// /proc/kallsyms; "" when it cannot be told (addresses hidden).
	std::string symbol(uint64_t address);
	unsigned long long lost() const;

	// Watches what an XDP program returns for each frame (fexit; needs the
	// program's BTF). Throws with the kernel's reason when it cannot.
	std::unique_ptr<VerdictWatch> watch(int prog_fd, const std::string &function, unsigned prog_id);

private:
	static int on_record(void *ctx, void *data, size_t size);
	std::mutex mu_;
	drop_watch *skel_ = nullptr;
	ring_buffer *rb_ = nullptr;
	bool with_reason_ = false;
	std::vector<DropRecord> records_;
	std::map<uint32_t, std::string> reasons_;
	std::map<uint64_t, std::string> symbols_; // address -> name, the kernel's text symbols
	bool symbols_read_ = false;
};

class VerdictWatch {
public:
	~VerdictWatch();
	VerdictWatch(const VerdictWatch &) = delete;
	VerdictWatch &operator=(const VerdictWatch &) = delete;

private:
	friend class DropWatch;
	VerdictWatch() = default;
	drop_watch *skel_ = nullptr;
};

} // namespace xdplab
