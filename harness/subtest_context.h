// What the engine knows while it runs one subtest: the run's identity, this
// subtest's case id, the kernel, the run's options and the shared trace
// collector. Experiments never see it.
#pragma once
#include "interruption.h"
#include "kernel_version.h"
#include "verdict.h"

#include <linux/types.h>
extern "C" {
#include "../bpf/xdplab_event.h"
}

#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

class TraceCollector;
class DropWatch;

struct RunOptions {
	int packets = 32;          // tagged frames per subtest
	int settle_ms = 100;       // quiet time, only where a plan measures absence
	int timeout_ms = 3000;     // how long frames may take to be accounted for
	int jobs = 1;              // subtests at once
	bool keep = false;         // leave the topologies up (--keep)
	std::string evidence_dir;  // write each case subtest's whole evidence here (--evidence)
	std::string pcap_dir;      // write each case subtest's frames here as pcapng (--pcap)
};

struct SubtestContext {
	std::string run_id;        // 6 hex digits, in every name the run creates
	uint32_t run_tag = 0;      // the same id as a number, in every frame
	uint32_t case_id = 0;      // unique per subtest within the run
	RunningKernel kernel;
	Capabilities caps;
	RunOptions options;
	TraceCollector *trace = nullptr;
	DropWatch *drops = nullptr;    // kfree_skb and XDP verdicts; null where the kernel cannot watch them
	std::string drops_unwatched;   // why drops is null
	std::ostream *notes = nullptr; // where --keep says what it left up
	// The kernel log's first record of this run (/dev/kmsg sequence number):
	// results keep only what the run may have caused, not the whole boot.
	unsigned long long kernel_log_from = 0;
	Interruption interruption;

	// Part of every namespace name, so that the topologies of concurrent or
	// kept subtests never share a name.
	std::string scope() const { return "c" + std::to_string(case_id) + "-"; }
	// The k-th run-unique ifindex of this subtest (netns/ifindex.h).
	int ifindex(unsigned k) const;
	// What every BPF object of this subtest matches frames and events by.
	xdplab_ident ident() const;
};

// A subtest whose teardown left something behind (a failed detach or
// namespace delete) is an error: the host must be left as it was found.
void fail_on_teardown_problems(const std::vector<std::string> &problems);

} // namespace xdplab
