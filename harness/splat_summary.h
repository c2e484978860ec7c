// A run's kernel splats as the report shows them per kernel: the
// "kernel/splat" results the runner adds while a kernel lives, and the
// console's splats that the error results of a guest that died carry (or,
// in older result files, the splats in the console tail they kept).
#pragma once
#include "results.h"

#include <string>
#include <vector>

namespace xdplab {

struct SplatSeen {
	std::string first_line; // "WARNING: CPU: 0 PID: 1 at net/core/filter.c:8158 ..."
	// The subtests running when it was logged ("a/x, b/y"), or, from a
	// console, the one whose progress line came last before it; "" if none.
	std::string during;
};

std::vector<SplatSeen> splats_of(const RunResults &r);

// "   [6.1] [12/24] egress-ifindex/native ..." -> "egress-ifindex/native"; "" if it is no progress line.
std::string subtest_of_progress(const std::string &progress_line);

} // namespace xdplab
