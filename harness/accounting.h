// Where every frame a subtest sent ended up. A frame is accounted for when a
// receiver captured it; when a program's own record says it dropped it (an
// instrumented program's event, or the verdict the harness watched it
// return); when the kernel reported dropping it (skb:kfree_skb with its
// reason, or the XDP tracepoints' drop counts with their error code); or
// when the kernel accepted it for transmission to a device and nobody
// received it: parked in that device's peer's ring. A subtest with frames
// not accounted for is never confirmed: a lost frame proves nothing.
#pragma once
#include "trace_parse.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace xdplab {

struct Accounting {
	int sent = 0;
	int delivered = 0;             // captured by some receiver
	int dropped_by_program = 0;    // a program returned XDP_DROP or XDP_ABORTED for it
	int dropped_by_entry_prog = 0; // a devmap entry program returned anything but XDP_PASS
	int dropped_by_kernel = 0;     // covered by the kernel's drop records
	int parked = 0;                // accepted for transmission, never received
	int unaccounted = 0;
	std::map<std::string, int> kernel_drops; // "xdp_bulk_tx err=-6" -> frames it explains
	std::set<int> parked_on;                 // devices whose transmit accepted the parked frames
	std::map<int, std::string> device_names; // ifindex -> link name, for the line
	bool complete() const { return unaccounted == 0; }
	nlohmann::json to_json() const;
	// One line for people: "10 sent: 0 delivered, 10 dropped by the kernel (xdp_bulk_tx err=-6: 10)".
	std::string line() const;
};

// One flow of frames (tagged frames, or a tool's echo requests), by id.
struct Flow {
	std::set<uint32_t> sent;
	std::set<uint32_t> delivered;
	std::set<uint32_t> program_drops;    // by the program's own record
	int program_abort_records = 0;       // of those, XDP_ABORTED: the kernel's xdp_exception says it again
	std::set<uint32_t> entry_prog_drops;
	int entry_prog_drop_records = 0;     // 5.14+ also counts these in xdp_devmap_xmit's drops
	std::map<uint32_t, std::string> skb_drops; // id -> kfree_skb reason
	std::vector<TraceRecord> tracepoints;      // the subtest's, while the flow ran
	std::set<unsigned> entry_progs;            // devmap entry programs: their exceptions are stage-2 records
	std::set<unsigned> case_programs;          // every program of the subtest
	std::map<int, std::string> device_names;   // the subtest's links, by ifindex
};

Accounting account(const Flow &f);

} // namespace xdplab
