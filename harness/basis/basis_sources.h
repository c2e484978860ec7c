// Where `basis` reads from: the newest build of every series the archive
// serves, and its changelog (from the unpacked build when the matrix already
// fetched it, else from its image package, downloaded through the harness's
// own apt configuration); extracted changelogs are kept under the kernel
// cache, so a second run needs no download.
#pragma once
#include "basis.h"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

struct DebianKernel;

// Every served build, by series, oldest first.
std::map<std::string, std::vector<ServedBuild>> served_builds(const std::vector<DebianKernel> &kernels);

// The changelog of the newest build of each series that still has one
// (downloads what is not cached); a series with none is left out, said on progress.
std::vector<SeriesChangelog> read_series_changelogs(const std::vector<DebianKernel> &kernels,
						    const std::string &cache_dir, std::ostream &progress);

} // namespace xdplab
