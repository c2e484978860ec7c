// The catalog (every registered experiment with its expectation file), the
// selection of subtests, and running them: several at once, each in its own
// namespaces, each compared with the expectation for this kernel.
#pragma once
#include "../experiment.h"
#include "../expectations.h"
#include "../results.h"
#include "../subtest_context.h"

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

// Every registered experiment with its expectation file from DIR, and every
// case file (<id>.yaml) in DIR; checks that both agree on the subtests.
// The catalog's own observations are compiled when first evaluated unless
// check_observations (the lint); a user's case files are checked at once.
std::vector<CatalogEntry> load_catalog(const std::string &expectations_dir, bool check_observations = false);
// Case files a user brings (`xdplab case FILE...`), as catalog entries.
std::vector<CatalogEntry> load_cases(const std::vector<std::string> &files, bool check_observations = true);

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
// With a watch, it is told when each subtest starts and ends, so that kernel
// splats can be attributed to the subtests running at the time.
RunResults run_experiments(const std::vector<Selection> &selection, const SubtestContext &base,
			   std::ostream &progress, class KernelLogWatch *kernel_log = nullptr);

// Kernel splats seen while the run went on: an `error` entry each ("kernel/splat"),
// naming the subtests running at the time (or, from a console, the last
// progress line) — except a splat that a running subtest's experiment
// declares it provokes (Experiment::provoked_kernel_warnings), which that
// subtest observes itself.
std::vector<SubtestResult> splat_results(const std::vector<struct Splat> &splats,
					 const std::vector<Selection> &selection);

// --explain: the commands and steps of each selected subtest's plan.
void explain_experiments(const std::vector<Selection> &selection, const SubtestContext &base, std::ostream &out);

} // namespace xdplab
