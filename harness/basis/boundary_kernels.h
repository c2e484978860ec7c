// `--kernels boundaries`: for every pinned edge inside a Debian series (a
// range edge at a stable release x.y.z with its commit), the last build the
// archive serves without the commit and the first with it, so that each
// expectation is tried at its edges and not only on the newest builds.
#pragma once
#include "../expectations.h"

#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

struct DebianKernel;

struct BoundaryPair {
	std::string edge;   // 6.12.53
	std::string commit; // 4540aed51b12
	std::vector<std::string> cited_by; // experiment/subtest
	std::string without, with; // upstream versions of the builds on either side; "" when none
};

// Pure: the edges of the files against the bootable builds.
std::vector<BoundaryPair> boundary_pairs(const std::vector<const ExpectationFile *> &files,
					 const std::vector<DebianKernel> &available);

// The exact kernel requests (upstream versions) of every pair with both sides,
// each once; `why` gets one line per edge, said also when a side is missing.
std::vector<std::string> boundary_kernel_requests(const std::vector<BoundaryPair> &pairs, std::ostream &why);

} // namespace xdplab
