#include "case_experiment.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace xdplab {

CaseExperiment::CaseExperiment(CaseFile file)
	: Experiment(file.expectations.id, file.subtests, {}), file_(std::make_shared<const CaseFile>(std::move(file)))
{
	for (const auto &w : file_->kernel_warnings)
		provokes_kernel_warning(w.pattern, w.why);
}

Plan CaseExperiment::plan(const std::string &subtest) const
{
	auto it = file_->specs.find(subtest);
	if (it == file_->specs.end())
		throw std::invalid_argument(id() + " has no subtest " + subtest);
	return CasePlan{&it->second};
}

std::set<std::string> CaseExperiment::observation_names(const std::string &subtest) const
{
	std::set<std::string> names;
	for (const auto &[name, expr] : file_->specs.at(subtest).observe)
		names.insert(name);
	return names;
}

std::vector<Requirement> CaseExperiment::subtest_requirements(const std::string &subtest) const
{
	return file_->specs.at(subtest).requires_;
}

bool CaseExperiment::paced_by_tools(const std::string &subtest) const
{
	for (const auto &step : file_->specs.at(subtest).steps)
		if (step.kind == "ping" || step.kind == "tcp")
			return true;
	return false;
}

std::vector<std::string> case_files_in(const std::vector<std::string> &paths)
{
	std::vector<std::string> out;
	for (const auto &p : paths) {
		if (!fs::is_directory(p)) {
			out.push_back(p);
			continue;
		}
		std::vector<std::string> found; // each case may sit in a directory of its own (examples/)
		for (const auto &e : fs::recursive_directory_iterator(p))
			if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml") &&
			    e.path().filename().string().front() != '_')
				found.push_back(e.path().string());
		std::sort(found.begin(), found.end());
		out.insert(out.end(), found.begin(), found.end());
	}
	return out;
}

ExpectationFile load_expectation_file(const std::string &path)
{
	if (fs::path(path).extension() == ".json")
		return load_expectations(path);
	try {
		return load_case_file(path, false).expectations;
	} catch (const CaseError &e) {
		throw ExpectationError(e.what());
	}
}

std::vector<ExpectationFile> load_expectation_files(const std::string &dir)
{
	std::vector<std::string> paths = case_files_in({dir});
	for (const auto &e : fs::directory_iterator(dir))
		if (e.is_regular_file() && e.path().extension() == ".json" && e.path().filename().string().front() != '_')
			paths.push_back(e.path().string());
	std::sort(paths.begin(), paths.end());
	std::vector<ExpectationFile> out;
	for (const auto &p : paths)
		out.push_back(load_expectation_file(p));
	return out;
}

} // namespace xdplab
