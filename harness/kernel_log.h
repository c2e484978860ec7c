// The kernel's own complaints during a run: WARN splats, BUGs, oopses, KASAN
// reports, RCU stalls, soft lockups. A BPF test harness can trigger kernel
// bugs while every subtest stays green, so both the guests' consoles and the
// host's kernel log are scanned; a splat fails the run like `error`.
#pragma once
#include <string>
#include <vector>

namespace xdplab {

struct Splat {
	std::string first_line; // "WARNING: CPU: 0 PID: 1 at net/core/filter.c:8158 ..."
	std::string context;    // the lines around it, for the evidence
	std::string after;      // the last harness progress line before it ("" if none)
};

// Splats in kernel log text (console or /dev/kmsg messages, one per line).
// The invalid-XDP-action warning (bpf_warn_invalid_xdp_action) is left out:
// devmap-egress-return-codes provokes it and records it as an observation.
std::vector<Splat> find_splats(const std::string &log_text);

// The host's kernel log from the moment of construction on (/dev/kmsg).
class KernelLogWindow {
public:
	KernelLogWindow();
	~KernelLogWindow();
	KernelLogWindow(const KernelLogWindow &) = delete;
	KernelLogWindow &operator=(const KernelLogWindow &) = delete;
	// Messages written since construction, one per line ("" if unreadable).
	std::string read_new();

private:
	int fd_ = -1;
};

} // namespace xdplab
