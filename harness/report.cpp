#include "report.h"

#include "cost/cost_report.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

using Key = std::pair<std::string, std::string>; // (id, subtest)

std::string md_cell(const std::string &s)
{
	std::string o;
	for (char c : s)
		o += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
	return o;
}

std::string seed_mark(const SubtestResult &r)
{
	return !r.seed_claim_holds ? "" : *r.seed_claim_holds ? "seed claim holds" : "seed claim no longer holds";
}

// "host", "VM (tcg)", or "" for a run outside a matrix.
std::string ran_on(const RunResults &r)
{
	if (!r.runner.is_object())
		return "";
	if (r.runner.value("kind", "") == "vm")
		return "VM (" + r.runner.value("accel", "?") + ")";
	return r.runner.value("kind", "");
}

std::string kernel_name(const RunResults &r)
{
	return r.kernel.release;
}

// Kernels ordered by version, then name.
std::vector<const RunResults *> ordered(const std::vector<ResultFile> &files)
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

std::map<Key, const SubtestResult *> index(const RunResults &r)
{
	std::map<Key, const SubtestResult *> m;
	for (const auto &e : r.experiments)
		m[{e.id, e.subtest}] = &e;
	return m;
}

std::vector<Key> all_keys(const std::vector<const RunResults *> &runs)
{
	std::set<Key> keys;
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

std::string value_str(const json &v)
{
	return v.is_null() ? "—" : v.is_string() ? v.get<std::string>() : v.dump();
}

void markdown_changes(std::ostringstream &md, const std::vector<Change> &changes)
{
	if (changes.empty()) {
		md << "Nothing differs.\n";
		return;
	}
	md << "| experiment/subtest | what | values |\n|---|---|---|\n";
	for (const auto &c : changes) {
		std::string vals;
		for (const auto &[k, v] : c.values)
			vals += (vals.empty() ? "" : "; ") + k + ": `" + value_str(v) + "`";
		md << "| " << c.id << "/" << c.subtest << " | " << c.what << " | " << md_cell(vals) << " |\n";
	}
}

void html_changes(std::ostringstream &h, const std::vector<Change> &changes)
{
	if (changes.empty()) {
		h << "<p>Nothing differs.</p>\n";
		return;
	}
	h << "<table><tr><th>experiment/subtest</th><th>what</th><th>values</th></tr>\n";
	for (const auto &c : changes) {
		h << "<tr><td>" << markup_escape(c.id + "/" + c.subtest) << "</td><td>" << markup_escape(c.what)
		  << "</td><td>";
		for (const auto &[k, v] : c.values)
			h << "<div><b>" << markup_escape(k) << "</b>: <code>" << markup_escape(value_str(v)) << "</code></div>";
		h << "</td></tr>\n";
	}
	h << "</table>\n";
}

const char *kCss = R"(body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;font-size:.9em}
th{background:#f3f3f3}.confirmed{background:#e6f4ea}.deviates{background:#fde2e1}.error{background:#f8c9c4}
.skipped{background:#eee}.seed{font-size:.8em;color:#555}details pre{white-space:pre-wrap;max-width:40em;font-size:.8em}
code{font-size:.85em})";

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
	for (const auto *r : ordered(files))
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

namespace {

// Everything both renderers show, computed once.
struct ReportModel {
	std::vector<const RunResults *> runs; // columns, by kernel version
	std::vector<Key> rows;
	std::vector<std::map<Key, const SubtestResult *>> cells; // per column
	std::vector<Change> between;
	std::optional<std::vector<Change>> since_baseline;
	std::vector<std::string> problems; // deviations and errors, one line each

	const SubtestResult *cell(size_t column, const Key &row) const
	{
		auto it = cells[column].find(row);
		return it == cells[column].end() ? nullptr : it->second;
	}
};

ReportModel model_of(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline)
{
	ReportModel m;
	m.runs = ordered(current);
	m.rows = all_keys(m.runs);
	for (const auto *r : m.runs)
		m.cells.push_back(index(*r));
	m.between = changes_between_kernels(current);
	if (baseline)
		m.since_baseline = changes_from_baseline(*baseline, current);
	for (const auto *r : m.runs)
		for (const auto &e : r->experiments)
			if (e.verdict == Verdict::Deviates || e.verdict == Verdict::Error)
				m.problems.push_back(r->kernel.release + ": " + e.id + "/" + e.subtest + " " +
						     to_string(e.verdict) + ": " + e.reason);
	return m;
}

std::string render_markdown(const ReportModel &m)
{
	std::ostringstream md;
	md << "# xdplab kernel matrix\n\n";
	md << "| kernel | version | ran on | started | confirmed | deviates | skipped | error |\n"
	      "|---|---|---|---|---|---|---|---|\n";
	for (const auto *r : m.runs) {
		Summary s = r->summary();
		md << "| " << r->kernel.release << " | " << r->kernel.version.str() << " | " << ran_on(*r) << " | "
		   << r->started << " | " << s.confirmed << " | " << s.deviates << " | " << s.skipped << " | " << s.error
		   << " |\n";
	}
	md << "\nCells: verdict against the expectation for that kernel; *seed* says whether the seed "
	      "document's own claim holds there.\n\n| experiment/subtest |";
	for (const auto *r : m.runs)
		md << " " << r->kernel.release << " |";
	md << "\n|---|";
	for (size_t i = 0; i < m.runs.size(); ++i)
		md << "---|";
	md << "\n";
	for (const auto &row : m.rows) {
		md << "| " << row.first << "/" << row.second << " |";
		for (size_t i = 0; i < m.runs.size(); ++i) {
			const SubtestResult *e = m.cell(i, row);
			if (!e) {
				md << " — |";
				continue;
			}
			std::string seed = !e->seed_claim_holds ? "" : *e->seed_claim_holds ? " · seed ✓" : " · seed ✗";
			md << " " << to_string(e->verdict) << seed << " |";
		}
		md << "\n";
	}
	md << "\n## Changed between kernels\n\n";
	markdown_changes(md, m.between);
	if (m.since_baseline) {
		md << "\n## Changed since the baseline\n\n";
		markdown_changes(md, *m.since_baseline);
	}
	md << "\n## Deviations and errors\n\n";
	if (m.problems.empty())
		md << "None.\n";
	for (const auto &p : m.problems)
		md << "- " << md_cell(p) << "\n";
	return md.str();
}

std::string render_html(const ReportModel &m)
{
	std::ostringstream h;
	h << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>xdplab kernel matrix</title><style>" << kCss
	  << "</style></head><body>\n<h1>xdplab kernel matrix</h1>\n<table><tr><th>kernel</th><th>version</th>"
	     "<th>ran on</th><th>started</th><th>confirmed</th><th>deviates</th><th>skipped</th><th>error</th></tr>\n";
	for (const auto *r : m.runs) {
		Summary s = r->summary();
		h << "<tr><td>" << markup_escape(r->kernel.release) << "</td><td>" << r->kernel.version.str() << "</td><td>"
		  << markup_escape(ran_on(*r)) << "</td><td>" << markup_escape(r->started) << "</td><td>" << s.confirmed
		  << "</td><td>" << s.deviates << "</td><td>" << s.skipped << "</td><td>" << s.error << "</td></tr>\n";
	}
	h << "</table>\n<p>Hover a cell for its observations; open it for observations, expectation and basis.</p>\n"
	     "<table><tr><th>experiment/subtest</th>";
	for (const auto *r : m.runs)
		h << "<th>" << markup_escape(r->kernel.release) << "</th>";
	h << "</tr>\n";
	for (const auto &row : m.rows) {
		h << "<tr><td>" << markup_escape(row.first + "/" + row.second) << "</td>";
		for (size_t i = 0; i < m.runs.size(); ++i) {
			const SubtestResult *e = m.cell(i, row);
			if (!e) {
				h << "<td>—</td>";
				continue;
			}
			h << "<td class=\"" << to_string(e->verdict) << "\" title=\"" << markup_escape(e->observations.dump())
			  << "\"><details><summary>" << to_string(e->verdict) << "</summary><pre>observed: "
			  << markup_escape(e->observations.dump(1)) << "\nexpected: " << markup_escape(e->expected.dump(1))
			  << "\nbasis: " << markup_escape(e->basis) << "\nreason: " << markup_escape(e->reason)
			  << "</pre></details><div class=\"seed\">" << markup_escape(seed_mark(*e)) << "</div></td>";
		}
		h << "</tr>\n";
	}
	h << "</table>\n<h2>Changed between kernels</h2>\n";
	html_changes(h, m.between);
	if (m.since_baseline) {
		h << "<h2>Changed since the baseline</h2>\n";
		html_changes(h, *m.since_baseline);
	}
	h << "<h2>Deviations and errors</h2>\n<ul>";
	for (const auto &p : m.problems)
		h << "<li>" << markup_escape(p) << "</li>";
	h << (m.problems.empty() ? "<li>None.</li>" : "") << "</ul>\n</body></html>\n";
	return h.str();
}

} // namespace

Report make_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline)
{
	ReportModel m = model_of(current, baseline);
	Report r{render_markdown(m), render_html(m)};
	cost::append_cost_section(r, current);
	return r;
}

void write_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		  const std::string &out_dir)
{
	fs::create_directories(out_dir);
	Report r = make_report(current, baseline);
	write_file_atomic(out_dir + "/report.md", r.markdown);
	write_file_atomic(out_dir + "/report.html", r.html);
	for (const auto &f : current)
		write_file_atomic(out_dir + "/junit-" + f.results.kernel.release + ".xml", to_junit(f.results));
}

} // namespace xdplab
