// Where every frame a subtest sent ended up. A frame is accounted for when a
// receiver captured it, when a program decided to drop it (its own event says
// so), or when the kernel reported a drop in a tracepoint. A subtest with
// frames not accounted for is never confirmed: a lost frame proves nothing.
#pragma once
#include "trace_parse.h"
#include "traffic.h"

#include <linux/types.h>
extern "C" {
#include "../bpf/xdplab_event.h"
}

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace xdplab {

struct ProgIds {
	unsigned ingress = 0, entry = 0, peer = 0;
};

struct Accounting {
	int sent = 0;
	int delivered = 0;             // distinct frames captured by some receiver
	int dropped_by_program = 0;    // the ingress program returned XDP_DROP or XDP_ABORTED
	int dropped_by_entry_prog = 0; // the devmap entry program returned anything but XDP_PASS
	int dropped_by_kernel = 0;     // covered by the kernel's drop tracepoints
	int unaccounted = 0;
	bool complete() const { return unaccounted == 0; }
	nlohmann::json to_json() const;
};

// Drops the kernel reported in this subtest's tracepoints, not counting those
// a program's own event already explains (its XDP_ABORTED, the entry
// program's verdict, which 5.14+ also counts in xdp_devmap_xmit).
int kernel_drops(const std::vector<TraceRecord> &tracepoints, const ProgIds &progs, int entry_prog_drops);

Accounting account(int sent, const std::vector<xdplab_event> &events,
		   const std::map<std::string, std::vector<CapturedFrame>> &received,
		   const std::vector<TraceRecord> &tracepoints, const ProgIds &progs);

} // namespace xdplab
