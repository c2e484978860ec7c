// Results as KTAP version 1 (Documentation/dev-tools/ktap.rst), the format
// kselftest prints and kernel CI parses: one test per experiment with its
// subtests nested. With several kernels (a matrix), one test per kernel holds
// the experiments.
#pragma once
#include "../results.h"

#include <string>
#include <vector>

namespace xdplab {

// Verdicts as KTAP results:
//   confirmed               ok N subtest
//   deviates                not ok N subtest            (diagnostics say what differed)
//   error                   not ok N subtest # ERROR reason
//   skipped                 ok N subtest # SKIP reason
//   unpinned                ok N subtest # SKIP unpinned: reason   (not a pass: as in JUnit)
// A parent is "not ok" when a child is, "ok # SKIP" when every child was skipped.
std::string to_ktap(const std::vector<const RunResults *> &runs);
std::string to_ktap(const RunResults &run);

} // namespace xdplab
