// A run as KCIDB I/O JSON (KernelCI's common results database, schema v5.3):
// one checkout and one build per kernel (the Debian package and version it
// came from, or the host's running kernel), one test per subtest under the
// path xdplab.<experiment>.<subtest>, under the origin "xdplab".
#pragma once
#include "../results.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace xdplab {

struct KcidbOptions {
	// Where the files the export names (results, console logs, pcapng) can be
	// fetched: BASE/<path relative to base_dir>. Empty: file:// URLs of the
	// files where they are now.
	std::string artifacts_url;
	std::string base_dir; // the directory artifacts_url stands for
};

// Verdicts as KCIDB statuses: confirmed PASS, deviates FAIL, error ERROR,
// skipped SKIP, unpinned DONE (ran to the end, no verdict: the expectation
// could not have failed).
const char *kcidb_status(Verdict v);

nlohmann::json to_kcidb(const std::vector<ResultFile> &runs, const KcidbOptions &options = {});

} // namespace xdplab
