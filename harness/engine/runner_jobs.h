// The selected subtests as jobs (selection.cpp), and running one of them
// (subtest_run.cpp). The runner (runner.cpp) and --explain (explain.cpp) read
// the same list, so that a subtest has the same case id in both.
#pragma once
#include "runner.h"

#include <cstdint>
#include <string>
#include <vector>

namespace xdplab {

struct SubtestJob {
	const CatalogEntry *entry;
	std::string subtest;
	uint32_t case_id;
};

// In running order; case ids follow the selection's order.
std::vector<SubtestJob> subtest_jobs(const std::vector<Selection> &selection);

// One subtest: capability gate, plan, run, observations, evaluation. An
// exception from the subtest is its `error` result; Interrupted propagates.
SubtestResult run_subtest(const SubtestJob &job, SubtestContext ctx);

} // namespace xdplab
