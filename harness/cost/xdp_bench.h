// The anchor: xdp-tools' xdp-bench on the same path and sink as xdplab's own
// redirect program. Both get the same injection (live frames leaving the
// "inj" veth by XDP_TX, so that they arrive on "in" as received frames),
// the same DEVMAP redirect to o0 and the same XDP_DROP sink on r0; only the
// program on "in" differs: xdplab's xdp_cost_redirect, or the one xdp-bench
// redirect-map loads. The CPU time is accounted the same way for both.
//
// xdp-bench comes from Debian's xdp-tools (1.5 or later: bookworm's 1.3.1
// does not work on 6.18), fetched through the harness's private apt with the
// libxdp and libbpf it needs, unpacked under <kernel cache>/tools (dpkg-deb -x,
// nothing installed over the system's libraries) and run with
// LD_LIBRARY_PATH pointing there.
#pragma once
#include "../interruption.h"
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace xdplab::cost {

class CostTopology;

// The "anchor" section: per comparable case both figures and the ratio
// xdplab / xdp-bench of the CPU ns per packet; a case whose tool cannot be
// had or run is "skipped" or "error" with the reason.
// Measured in rounds like the cases: each round one repetition of each side,
// the side that goes first alternating, so the ratio comes from pairs taken
// in the same state of the machine (paired_ratio).
nlohmann::json run_xdp_bench_anchor(CostTopology &topo, uint32_t run_tag, int rounds, int cpu,
				    const std::string &kernel_cache, const Interruption &interruption);

} // namespace xdplab::cost
