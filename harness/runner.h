// The catalog (every registered experiment with its expectation file), the
// selection of subtests, and running them: several at once, each in its own
// namespaces, each compared with the expectation for this kernel.
#pragma once
#include "experiment.h"
#include "expectations.h"
#include "results.h"
#include "subtest_context.h"

#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

// Bad input: unknown experiment, malformed expectation file, missing host
// facility. Reported before anything runs; exit code 3, no results file.
class ConfigError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

struct CatalogEntry {
	std::unique_ptr<Experiment> experiment;
	ExpectationFile expectations;
};

// Every registered experiment with its expectation file from DIR; checks that
// both agree on the subtests.
std::vector<CatalogEntry> load_catalog(const std::string &expectations_dir);

// Expectation lint over the whole catalog (harness/lint.h): one message per problem.
std::vector<std::string> lint_catalog(const std::vector<CatalogEntry> &catalog);

// Selectors are ids or globs ("egress-*"), optionally with "/subtest".
// An empty list selects everything; a selector matching nothing is a ConfigError.
struct Selection {
	const CatalogEntry *entry;
	std::vector<std::string> subtests;
};
std::vector<Selection> select(const std::vector<CatalogEntry> &catalog, const std::vector<std::string> &selectors);

void print_list(std::ostream &out, const std::vector<CatalogEntry> &catalog);

// Runs each selected subtest, base.options.jobs at a time: capability gate,
// plan, run, observations, evaluation, with a progress line per subtest on
// `progress`. An exception from a subtest is an `error` result; Interrupted
// propagates once every running subtest has torn down.
RunResults run_experiments(const std::vector<Selection> &selection, const SubtestContext &base,
			   std::ostream &progress);

// A kernel splat seen while the run went on: an `error` of its own ("kernel/splat"),
// naming the subtest whose progress line came last before it.
SubtestResult splat_result(const struct Splat &splat);

// --explain: the commands and steps of each selected subtest's plan.
void explain_experiments(const std::vector<Selection> &selection, const SubtestContext &base, std::ostream &out);

} // namespace xdplab
