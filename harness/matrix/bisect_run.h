// `xdplab bisect <id>/<subtest> --good K --bad K`: the bisect of bisect.h with
// each build booted in a VM through the kernel matrix, the upstream releases
// between the builds found from their Debian changelog, and a JSON record.
//
// Exit codes: 0 two adjacent builds differ, 1 good and bad observe the same
// (nothing to bisect), 2 good or bad gave error/skipped, or only such builds
// are left between the nearest good and bad ones, 3 bad input, 130 interrupted.
#pragma once
#include "bisect.h"
#include "../engine/runner.h"
#include "matrix.h"

#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

struct BisectRequest {
	std::string selector; // "metadata-across-devmap/native"
	std::string good, bad; // series, exact upstream version or rc, as for --kernels
	std::string json_path; // "" = <results_dir>/bisect-<id>-<subtest>.json
	// cache, harness binary, expectations, accel, timeouts, interruption; its
	// results_dir receives bisect-<id>-<subtest>/ with each build's results and console.
	MatrixOptions matrix;
};

// Throws ConfigError for a request that is not one Debian build and one subtest.
void check_bisect_request(const BisectRequest &r, const std::vector<Selection> &selection);

// The record: schema xdplab-bisect/1.
json bisect_record(const BisectRequest &r, const std::vector<DebianKernel> &candidates, const BisectOutcome &o,
		   const std::vector<std::string> &releases_between, const std::vector<std::string> &debian_between,
		   const std::string &changelog, long wall_ms);

// Runs the whole bisect; prints the result on out and progress on progress.
// Returns the exit code above (Interrupted propagates).
int run_bisect(const BisectRequest &r, const std::vector<Selection> &selection, std::ostream &out,
	       std::ostream &progress);

} // namespace xdplab
