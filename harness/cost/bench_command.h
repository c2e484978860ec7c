// `xdplab bench`: the cost cases on the running kernel, optionally beside
// xdp-tools' xdp-bench; the table, and results/<release>-bench.json.
#pragma once
#include "../interruption.h"
#include <functional>
#include <string>
#include <vector>

namespace xdplab::cost {

struct BenchOptions {
	std::vector<std::string> cases;     // names or globs; all when empty
	std::string against;                // "" or "xdp-bench"
	int repetitions = 7; // rounds: every case once per round, in a shuffled order
	int cpu = -1;        // the CPU every injection is pinned to; -1: the last online CPU
	std::string results_dir, json_path; // json_path "" : <results_dir>/<release>-bench.json
	std::string kernel_cache;           // the private apt and the anchor's unpacked tools live under it
	Interruption interruption;
};

// Exit code: 0 every case measured or skipped, 2 something failed, 3 bad
// input, 130 interrupted (the topology removed, no results written).
int run_bench(const BenchOptions &o, const std::string &tracefs_root);

} // namespace xdplab::cost
