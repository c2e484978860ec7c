// The commands that work on this kernel's namespaces: running the selected
// subtests here, and removing what earlier runs left behind.
#pragma once
#include "../engine/runner.h"
#include "../subtest_context.h"
#include "options.h"

#include <string>
#include <vector>

namespace xdplab::cli {

// `--cleanup`. Exit code: 0 everything removed (or nothing found), 2 something stayed.
int cleanup(const std::string &tracefs_root);

// Runs SELECTION on this kernel from BASE (kernel, options, notes), writes the
// results JSON, JUnit and KTAP, and prints the table. Exit code: the run's own,
// 2 the run or its files failed, 3 not root or no tracefs, 130 interrupted.
int run_here(const Options &o, const std::vector<Selection> &selection, SubtestContext base,
	     const std::string &tracefs_root);

} // namespace xdplab::cli
