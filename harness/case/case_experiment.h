// A case file as an experiment of the catalog: the same selection, gate,
// run, verdict, results, lint, --explain and --keep as every other.
#pragma once
#include "../experiment.h"
#include "case_spec.h"

#include <memory>

namespace xdplab {

class CaseExperiment : public Experiment {
public:
	explicit CaseExperiment(CaseFile file);
	Plan plan(const std::string &subtest) const override;
	std::set<std::string> observation_names(const std::string &subtest) const override;
	std::vector<Requirement> subtest_requirements(const std::string &subtest) const override;
	bool paced_by_tools(const std::string &subtest) const override;
	const CaseFile &file() const { return *file_; }

private:
	std::shared_ptr<const CaseFile> file_;
};

// Every *.yaml case file in DIR (sorted), or the files and directories given.
// Files whose name starts with '_' are parts that cases include, not cases.
std::vector<std::string> case_files_in(const std::vector<std::string> &paths);

// The expectations of an experiment: a catalog <id>.json, or a case file.
ExpectationFile load_expectation_file(const std::string &path);
// Every experiment's expectations in DIR: the JSON files and the cases.
std::vector<ExpectationFile> load_expectation_files(const std::string &dir);

} // namespace xdplab
