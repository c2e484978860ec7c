// The commands that boot guests: the kernel matrix, bisect between Debian
// builds, and the cost bench (here, or in guests when kernels are named).
#pragma once
#include "../cost/bench_command.h"
#include "../engine/runner.h"
#include "../matrix/matrix.h"
#include "options.h"

#include <vector>

namespace xdplab::cli {

// The matrix as the options describe it. Also installs the signal handlers
// the guests' supervision checks.
MatrixOptions matrix_options(const Options &o);

// Runs SELECTION on every kernel of M, then writes the report, the tables and
// KTAP. Exit code: the worst of the kernels' own, 2 a failure, 3 bad input,
// 130 interrupted.
int matrix(const Options &o, const std::vector<Selection> &selection, MatrixOptions m);

// `xdplab bisect`: exit codes as run_bisect's (matrix/bisect_run.h).
int bisect(const Options &o, const std::vector<CatalogEntry> &catalog);

// `xdplab bench`: exit codes as run_bench's, or as matrix's in guests.
int bench_here_or_in_matrix(Options &o, cost::BenchOptions bench);

} // namespace xdplab::cli
