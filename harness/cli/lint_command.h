// `--lint`: every expectation file checked against its experiment, and the
// range edges against the kernel boundaries the basis knows.
#pragma once
#include "../engine/runner.h"
#include "options.h"

#include <vector>

namespace xdplab::cli {

// Prints each problem and warning, then the count. Exit code: 0 no problem, 3
// problems (warnings alone pass). What the checks throw reaches the caller.
int lint(const Options &o, const std::vector<CatalogEntry> &catalog);

} // namespace xdplab::cli
