// The catalog: the registered experiments and the case files, each with its
// expectations, checked against each other; its lint and its listing.
#include "runner.h"

#include "../case/case_experiment.h"
#include "../lint.h"

#include <algorithm>
#include <set>

namespace xdplab {

std::vector<ExperimentFactory> &experiment_registry()
{
	static std::vector<ExperimentFactory> registry;
	return registry;
}

std::set<std::string> Experiment::observation_names(const std::string &) const
{
	return {observations_.begin(), observations_.end()};
}

std::vector<CatalogEntry> load_catalog(const std::string &dir, bool check_observations)
{
	std::vector<CatalogEntry> out;
	for (const auto &make : experiment_registry()) {
		CatalogEntry e;
		e.experiment = make();
		std::string path = dir + "/" + e.experiment->id() + ".json";
		try {
			e.expectations = load_expectations(path);
		} catch (const ExpectationError &err) {
			throw ConfigError(err.what());
		}
		if (e.expectations.id != e.experiment->id())
			throw ConfigError(path + ": at /id: \"" + e.expectations.id + "\" does not match the file name");
		const auto &subtests = e.experiment->subtests();
		std::set<std::string> declared(subtests.begin(), subtests.end());
		for (const auto &s : declared)
			if (!e.expectations.subtests.count(s))
				throw ConfigError(path + ": at /subtests: no expectations for subtest \"" + s + "\"");
		for (const auto &[s, _] : e.expectations.subtests)
			if (!declared.count(s))
				throw ConfigError(path + ": at /subtests/" + s + ": the experiment has no such subtest");
		out.push_back(std::move(e));
	}
	// Experiments that are case files: <id>.yaml, their expectations inside.
	if (auto files = case_files_in({dir}); !files.empty())
		for (auto &c : load_cases(files, check_observations))
			out.push_back(std::move(c));
	std::set<std::string> ids;
	for (const auto &e : out)
		if (!ids.insert(e.experiment->id()).second)
			throw ConfigError("two experiments are called " + e.experiment->id());
	std::sort(out.begin(), out.end(),
		  [](const CatalogEntry &a, const CatalogEntry &b) { return a.experiment->id() < b.experiment->id(); });
	return out;
}

std::vector<CatalogEntry> load_cases(const std::vector<std::string> &files, bool check_observations)
{
	std::vector<CatalogEntry> out;
	if (files.empty())
		throw ConfigError("no case files (*.yaml) there");
	for (const auto &f : files) {
		try {
			CaseFile file = load_case_file(f, check_observations);
			CatalogEntry e;
			e.expectations = file.expectations;
			e.experiment = std::make_unique<CaseExperiment>(std::move(file));
			out.push_back(std::move(e));
		} catch (const CaseError &err) {
			throw ConfigError(err.what());
		}
	}
	return out;
}

std::vector<std::string> lint_catalog(const std::vector<CatalogEntry> &catalog)
{
	std::vector<std::string> problems;
	for (const auto &e : catalog) {
		std::map<std::string, std::set<std::string>> measured;
		for (const auto &s : e.experiment->subtests())
			measured[s] = e.experiment->observation_names(s);
		for (auto &p : lint_expectations(e.expectations, measured))
			problems.push_back(std::move(p));
	}
	return problems;
}

void print_list(std::ostream &out, const std::vector<CatalogEntry> &catalog)
{
	for (const auto &e : catalog) {
		const auto &x = e.expectations;
		out << x.id << "\n    " << x.title << "\n    seed: " << x.seed << "\n    subtests:";
		for (const auto &s : e.experiment->subtests())
			out << " " << s;
		out << "\n    requires:";
		if (x.requires_.empty())
			out << " nothing beyond the harness";
		for (const auto &r : x.requires_)
			out << " " << r.capability << (r.since ? " (" + r.since->str() + "+)" : "");
		out << "\n";
	}
}

} // namespace xdplab
