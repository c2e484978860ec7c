// Runs the selected experiments on the running kernel and gathers results.
#pragma once
#include "experiment.h"
#include "expectations.h"
#include "results.h"

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

// Selectors are ids or globs ("egress-*"), optionally with "/subtest".
// An empty list selects everything; a selector matching nothing is a ConfigError.
struct Selection {
	const CatalogEntry *entry;
	std::vector<std::string> subtests;
};
std::vector<Selection> select(const std::vector<CatalogEntry> &catalog, const std::vector<std::string> &selectors);

void print_list(std::ostream &out, const std::vector<CatalogEntry> &catalog);

struct RunnerOptions {
	bool keep = false;
};

// Runs each selected subtest: capability gate, procedure, evaluation, with a
// progress line per subtest on `progress`. An
// exception from a procedure is an `error` result; Interrupted propagates.
RunResults run_experiments(const std::vector<Selection> &selection, Lab base, const RunnerOptions &opt,
			   std::ostream &progress);

// --explain: the commands each subtest's topology is built with.
void explain_experiments(const std::vector<Selection> &selection, Lab base, std::ostream &out);

} // namespace xdplab
