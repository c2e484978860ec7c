#include "basis_command.h"
#include "../case/case_experiment.h"
#include "../file_text.h"
#include "../results.h"
#include "../vm/kernel_images.h"
#include "basis_sources.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// Every commit id each file cites, in any basis it has.
std::vector<std::string> ids_cited(const ExpectationFile &f)
{
	std::string text;
	for (const auto &req : f.requires_)
		text += req.basis + "\n";
	for (const auto &[_, st] : f.subtests)
		for (const auto &r : st.ranges)
			text += r.basis + " " + r.from_commit + " " + r.until_commit + "\n";
	auto ids = commit_ids_in(text);
	return {ids.begin(), ids.end()};
}

} // namespace

std::string commit_registry_path(const std::string &expectations_dir)
{
	return expectations_dir + "/_commits.yaml";
}

std::string basis_snapshot_path(const std::string &expectations_dir)
{
	return expectations_dir + "/_basis.json";
}

std::string basis_cache_path_in(const std::string &kernel_cache)
{
	return kernel_cache + "/basis.json";
}

int basis_command(const std::string &expectations_dir, const std::string &kernel_cache, const std::string &json_path,
		  bool save, std::ostream &out, std::ostream &err)
{
	CommitRegistry registry = load_commit_registry(commit_registry_path(expectations_dir));
	std::map<std::string, std::vector<std::string>> cited_in;
	int unknown = 0;
	for (const auto &f : load_expectation_files(expectations_dir))
		for (const auto &id : ids_cited(f)) {
			if (const KnownCommit *c = registry.find(id)) {
				auto &ids = cited_in[c->id];
				if (ids.empty() || ids.back() != f.id)
					ids.push_back(f.id);
			} else {
				err << "xdplab: basis: " << f.path << " cites " << id << ", which " << registry.path
				    << " does not list\n";
				++unknown;
			}
		}
	auto kernels = list_debian_kernels(kernel_cache);
	auto changelogs = read_series_changelogs(kernels, kernel_cache, err);
	Basis basis = compute_basis(registry, cited_in, changelogs, served_builds(kernels));
	std::string doc = basis_to_json(basis).dump(2) + "\n";
	std::vector<std::string> written = {basis_cache_path_in(kernel_cache)};
	if (save)
		written.push_back(basis_snapshot_path(expectations_dir));
	if (!json_path.empty())
		written.push_back(json_path);
	for (const auto &path : written)
		write_file_atomic(path, doc);
	print_basis_table(out, basis);
	out << "\nbasis: " << basis.commits.size() << " commits, " << changelogs.size() << " series; written to";
	for (const auto &path : written)
		out << " " << path;
	out << "\n";
	return unknown ? 1 : 0;
}

std::vector<LintFinding> lint_catalog_boundaries(const std::vector<const ExpectationFile *> &files,
						 const std::string &expectations_dir, const std::string &kernel_cache)
{
	std::string registry_path = commit_registry_path(expectations_dir);
	if (!fs::exists(registry_path))
		return {{false, registry_path + ": no registry of cited commits: boundaries not checked"}};
	CommitRegistry registry = load_commit_registry(registry_path);
	Basis basis;
	std::vector<LintFinding> out;
	// The kernel cache's basis if it knows every commit of the registry (it may
	// predate an edit of _commits.yaml), else the snapshot.
	auto complete = [&](const Basis &b) {
		for (const auto &c : registry.commits)
			if (!b.of(c.id))
				return false;
		return true;
	};
	std::string used;
	std::error_code ec;
	for (const auto &path : {basis_cache_path_in(kernel_cache), basis_snapshot_path(expectations_dir)}) {
		if (!fs::exists(path, ec))
			continue;
		Basis b;
		try {
			b = basis_from_json(json::parse(read_file(path)), registry);
		} catch (const std::exception &e) {
			out.push_back({false, path + ": unreadable, skipped (" + e.what() + ")"});
			continue;
		}
		if (used.empty() || complete(b)) {
			basis = std::move(b);
			used = path;
		}
		if (complete(basis))
			break;
	}
	if (used.empty())
		out.push_back({false, basis_snapshot_path(expectations_dir) +
					      ": no basis (./run.sh basis writes it): stable boundaries are checked against "
					      "the recorded backports only"});
	else if (!complete(basis))
		out.push_back({false, used + ": older than " + registry_path +
					      " (commits missing): run ./run.sh basis --save"});
	for (const auto *f : files)
		for (auto &finding : lint_boundaries(*f, registry, basis))
			out.push_back(std::move(finding));
	return out;
}

} // namespace xdplab
