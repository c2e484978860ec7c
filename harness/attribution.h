// Which lines of the run's trace buffer belong to one subtest. Subtests run
// side by side and other software may use XDP on the host, so a line counts
// only when it is provably the subtest's own: it names one of the subtest's
// programs (ids are unique system-wide), or — xdp_devmap_xmit names no
// program — both its devices are links of the subtest, whose ifindexes are
// run-unique (netns/ifindex.h) and so never those of another namespace;
// xdp_bulk_tx names only the transmitting device, which must be the subtest's.
#pragma once
#include "trace_parse.h"

#include <cstdint>
#include <set>

namespace xdplab {

struct SubtestIdentity {
	uint32_t run_tag = 0, case_id = 0;
	std::set<unsigned> prog_ids;
	std::set<int> ifindexes;
};

// A kernel XDP tracepoint line of this subtest.
bool is_subtests_tracepoint(const TraceRecord &r, const SubtestIdentity &id);

} // namespace xdplab
