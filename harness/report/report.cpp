#include "report.h"
#include "../formats/junit.h"

#include "../case/case_experiment.h"
#include "../browser.h"
#include "../headline.h"
#include "report_model.h"


#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

using SubtestKey = std::pair<std::string, std::string>; // (id, subtest)

std::string kernel_name(const RunResults &r)
{
	return r.kernel.release;
}

} // namespace

std::vector<const RunResults *> by_kernel_version(const std::vector<ResultFile> &files)
{
	std::vector<const RunResults *> out;
	for (const auto &f : files)
		out.push_back(&f.results);
	std::sort(out.begin(), out.end(), [](const RunResults *a, const RunResults *b) {
		if (a->kernel.version != b->kernel.version)
			return a->kernel.version < b->kernel.version;
		return a->kernel.release < b->kernel.release;
	});
	return out;
}

namespace {

std::map<SubtestKey, const SubtestResult *> index(const RunResults &r)
{
	std::map<SubtestKey, const SubtestResult *> m;
	for (const auto &e : r.experiments)
		m[{e.id, e.subtest}] = &e;
	return m;
}

std::vector<SubtestKey> all_keys(const std::vector<const RunResults *> &runs)
{
	std::set<SubtestKey> keys;
	for (const auto *r : runs)
		for (const auto &e : r->experiments)
			keys.insert({e.id, e.subtest});
	return {keys.begin(), keys.end()};
}

// Compares runs side by side: a Change per observation (or verdict) whose
// values are not all equal. `label` names each run's column.
std::vector<Change> diff(const std::vector<std::pair<std::string, const RunResults *>> &runs)
{
	std::vector<const RunResults *> rs;
	for (const auto &[_, r] : runs)
		rs.push_back(r);
	std::vector<Change> out;
	for (const auto &key : all_keys(rs)) {
		std::vector<std::pair<std::string, const SubtestResult *>> present;
		for (const auto &[label, r] : runs) {
			auto idx = index(*r);
			if (idx.count(key))
				present.emplace_back(label, idx[key]);
		}
		if (present.size() < 2)
			continue;
		std::set<std::string> names;
		for (const auto &[_, e] : present)
			for (auto it = e->observations.begin(); it != e->observations.end(); ++it)
				names.insert(it.key());
		auto add = [&](const std::string &what, auto get) {
			Change c{key.first, key.second, what, {}};
			bool differs = false;
			for (const auto &[label, e] : present) {
				json v = get(*e);
				if (!c.values.empty() && v != c.values.front().second)
					differs = true;
				c.values.emplace_back(label, v);
			}
			if (differs)
				out.push_back(c);
		};
		add("verdict", [](const SubtestResult &e) { return json(to_string(e.verdict)); });
		for (const auto &n : names)
			add(n, [&](const SubtestResult &e) { return e.observations.contains(n) ? e.observations[n] : json(); });
	}
	return out;
}

} // namespace

std::vector<ResultFile> load_result_files(const std::vector<std::string> &paths)
{
	std::vector<std::string> files;
	for (const auto &p : paths) {
		if (fs::is_directory(p)) {
			for (const auto &e : fs::recursive_directory_iterator(p))
				if (e.is_regular_file() && e.path().extension() == ".json")
					files.push_back(e.path().string());
		} else if (fs::exists(p)) {
			files.push_back(p);
		} else {
			throw std::runtime_error("no such result file or directory: " + p);
		}
	}
	std::sort(files.begin(), files.end());
	// A bench-only document (xdplab bench) adds its figures to its kernel's results.
	std::map<std::string, ResultFile> by_kernel, bench_by_kernel;
	for (const auto &f : files) {
		json doc;
		try {
			std::ifstream in(f);
			doc = json::parse(in);
		} catch (const std::exception &) {
			continue; // not JSON: not ours
		}
		if (!doc.is_object() || doc.value("schema", "") != RunResults::kSchema)
			continue;
		ResultFile rf{f, results_from_json(doc)};
		bool bench_only = rf.results.experiments.empty() && !rf.results.benchmarks.is_null();
		auto &slot = (bench_only ? bench_by_kernel : by_kernel)[kernel_name(rf.results)];
		if (slot.path.empty() || slot.results.started <= rf.results.started)
			slot = rf;
	}
	for (auto &[kernel, rf] : bench_by_kernel) {
		auto it = by_kernel.find(kernel);
		if (it == by_kernel.end())
			by_kernel[kernel] = rf;
		else
			it->second.results.benchmarks = rf.results.benchmarks;
	}
	std::vector<ResultFile> out;
	for (auto &[_, rf] : by_kernel)
		out.push_back(std::move(rf));
	return out;
}

std::vector<Change> changes_between_kernels(const std::vector<ResultFile> &files)
{
	std::vector<std::pair<std::string, const RunResults *>> runs;
	for (const auto *r : by_kernel_version(files))
		runs.emplace_back(kernel_name(*r), r);
	return diff(runs);
}

std::vector<Change> changes_from_baseline(const std::vector<ResultFile> &baseline, const std::vector<ResultFile> &current)
{
	std::vector<Change> out;
	for (const auto &cur : current)
		for (const auto &base : baseline)
			if (kernel_name(base.results) == kernel_name(cur.results)) {
				auto d = diff({{"baseline " + kernel_name(base.results), &base.results},
					       {"now " + kernel_name(cur.results), &cur.results}});
				out.insert(out.end(), d.begin(), d.end());
			}
	return out;
}

std::string link_to(const ReportModel &m, const std::string &path)
{
	if (m.out_dir.empty())
		return path;
	std::error_code ec; // an unresolvable path stays as the result gives it
	auto rel = fs::relative(fs::absolute(path, ec), fs::absolute(m.out_dir, ec), ec);
	return ec || rel.empty() ? path : rel.string();
}

std::string ran_on(const RunResults &r)
{
	if (!r.runner.is_object())
		return "";
	if (r.runner.value("kind", "") == "vm")
		return "VM (" + r.runner.value("accel", "?") + ")";
	return r.runner.value("kind", "");
}

std::string value_str(const json &v)
{
	return v.is_null() ? "—" : v.is_string() ? v.get<std::string>() : v.dump();
}

const SubtestResult *ReportModel::cell(size_t column, const SubtestKey &row) const
{
	auto it = cells[column].find(row);
	return it == cells[column].end() ? nullptr : it->second;
}

std::string ReportModel::headline(size_t column, const SubtestKey &row) const
{
	const SubtestResult *e = cell(column, row);
	if (!e)
		return "";
	static const Headline none;
	auto f = expectations.find(row.first);
	auto v = varying.find(row);
	static const std::set<std::string> nothing;
	return headline_of(*e, f == expectations.end() ? none : f->second->headline_of(row.second),
			   v == varying.end() ? nothing : v->second);
}

ClaimState ReportModel::seed_state(size_t column, const SubtestKey &row) const
{
	auto it = claim_of.find(row);
	return it == claim_of.end() ? ClaimState::NotMeasured : it->second->kernels.at(column).state;
}

ReportModel model_of(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		     const std::vector<ExpectationFile> &expectations)
{
	ReportModel m;
	m.runs = by_kernel_version(current);
	m.costs = cost::cost_table(m.runs);
	for (const auto &key : all_keys(m.runs))
		if (key != SubtestKey{"kernel", "splat"})
			m.rows.push_back(key);
	for (const auto *r : m.runs) {
		m.cells.push_back(index(*r));
		m.splats.push_back(splats_of(*r));
	}
	for (const auto &f : expectations)
		m.expectations[f.id] = &f;
	m.between = changes_between_kernels(current);
	// What varies among the kernels that measured it: an observation that
	// older result files lack is no change of behaviour.
	for (const auto &c : m.between) {
		std::set<json> seen;
		for (const auto &[_, v] : c.values)
			if (!v.is_null())
				seen.insert(v);
		if (c.what != "verdict" && seen.size() > 1)
			m.varying[{c.id, c.subtest}].insert(c.what);
	}
	m.timeline = findings_timeline(m.runs, expectations);
	for (const auto &t : m.timeline)
		m.claim_of[{t.id, t.subtest}] = &t;
	if (baseline)
		m.since_baseline = changes_from_baseline(*baseline, current);
	for (const auto *r : m.runs)
		for (const auto &e : r->experiments)
			if (e.verdict == Verdict::Deviates || e.verdict == Verdict::Error || e.verdict == Verdict::Unpinned)
				m.problems.push_back(r->kernel.release + ": " + e.id + "/" + e.subtest + " " +
						     to_string(e.verdict) + ": " + e.reason);
	return m;
}

Report make_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		   const std::vector<ExpectationFile> &expectations, const std::string &out_dir)
{
	ReportModel m = model_of(current, baseline, expectations);
	m.out_dir = out_dir;
	Report r{render_markdown(m), render_html(m), html_page_height(m)};
	return r;
}

} // namespace xdplab
