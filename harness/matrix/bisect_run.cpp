#include "bisect_run.h"

#include "../report/report.h"
#include "../vm/changelog.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

long ms_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

json build_json(const DebianKernel &k)
{
	return {{"package", k.package}, {"version", k.version}, {"upstream", k.upstream}, {"suite", k.suite}};
}

// "metadata-across-devmap/native" -> "metadata-across-devmap-native"
std::string file_stem(const std::string &selector)
{
	std::string s = selector;
	std::replace(s.begin(), s.end(), '/', '-');
	return s;
}

// The subtest's outcome in a kernel's xdplab-results/1 file.
BuildOutcome outcome_from_results(const std::string &path, const std::string &id, const std::string &subtest)
{
	std::ifstream in(path);
	if (!in)
		return {"error", json::object(), "no results file " + path};
	RunResults r = results_from_json(json::parse(in));
	for (const auto &e : r.experiments)
		if (e.id == id && e.subtest == subtest)
			return {to_string(e.verdict), e.observations, e.reason};
	return {"error", json::object(), "no result for " + id + "/" + subtest + " in " + path};
}

// "5.14: 5.14, 5.14.1 ... 5.14.21 (22 releases)" per series, oldest first.
std::vector<std::string> releases_by_series(const std::vector<std::string> &releases)
{
	std::vector<std::pair<std::string, std::vector<std::string>>> series;
	for (const auto &r : releases) {
		std::string s = kernel_series(r.substr(0, r.find("-rc")));
		if (series.empty() || series.back().first != s)
			series.push_back({s, {}});
		series.back().second.push_back(r);
	}
	std::vector<std::string> out;
	for (const auto &[s, rs] : series) {
		std::string line = s + ": ";
		if (rs.size() <= 4) {
			for (size_t i = 0; i < rs.size(); ++i)
				line += (i ? ", " : "") + rs[i];
		} else {
			line += rs[0] + ", " + rs[1] + " ... " + rs.back() + " (" + std::to_string(rs.size()) + " releases)";
		}
		out.push_back(line);
	}
	return out;
}

const DebianKernel &newer_of(const DebianKernel &a, const DebianKernel &b)
{
	return kernel_older(a, b) ? b : a;
}

} // namespace

void check_bisect_request(const BisectRequest &r, const std::vector<Selection> &selection)
{
	for (const auto &[flag, k] : {std::pair{"--good", r.good}, std::pair{"--bad", r.bad}}) {
		if (k.empty())
			throw ConfigError(std::string("bisect needs ") + flag);
		if (k == "host")
			throw ConfigError(std::string(flag) +
					  " host: bisect boots Debian builds in VMs, ordered by version; the host kernel "
					  "has no place among them (name its Debian build or series instead)");
		if (kernel_alias(k))
			throw ConfigError(std::string(flag) + " " + k + ": bisect takes one kernel, not a set");
		try {
			parse_kernel_request(k);
		} catch (const std::exception &e) {
			throw ConfigError(std::string(flag) + " " + k + ": " + e.what());
		}
	}
	if (r.selector.find('/') == std::string::npos || selection.size() != 1 || selection[0].subtests.size() != 1)
		throw ConfigError("bisect " + r.selector + ": name exactly one subtest as <id>/<subtest>");
}

json bisect_record(const BisectRequest &r, const std::vector<DebianKernel> &candidates, const BisectOutcome &o,
		   const std::vector<std::string> &releases_between, const std::vector<std::string> &debian_between,
		   const std::string &changelog, long wall_ms)
{
	json tried = json::array();
	for (const auto &t : o.trials)
		tried.push_back({{"build", build_json(t.build)},
				 {"judged", t.judged},
				 {"verdict", t.outcome.verdict},
				 {"reason", t.outcome.reason},
				 {"observations", t.outcome.observations},
				 {"wall_ms", t.outcome.wall_ms}});
	json cands = json::array();
	for (const auto &k : candidates)
		cands.push_back(build_json(k));
	json diff = json::array();
	json pair = nullptr;
	if (o.status == BisectStatus::Found || o.status == BisectStatus::OnlySkippedLeft) {
		const BuildOutcome *good = outcome_of(o, candidates[o.last_good]), *bad = outcome_of(o, candidates[o.first_bad]);
		for (const auto &c : observation_diff(good->observations, bad->observations))
			diff.push_back({{"name", c.name}, {"good", c.good}, {"bad", c.bad}});
		pair = {{"last_good", build_json(candidates[o.last_good])},
			{"first_bad", build_json(candidates[o.first_bad])},
			{"adjacent", o.first_bad == o.last_good + 1},
			// The first change away from good's behaviour need not be bad's behaviour yet.
			{"first_bad_observes_as_bad", bad->observations == o.trials[1].outcome.observations}};
	}
	return {{"schema", "xdplab-bisect/1"},
		{"subtest", r.selector},
		{"requested", {{"good", r.good}, {"bad", r.bad}}},
		{"status", to_string(o.status)},
		{"good", build_json(candidates.front())},
		{"bad", build_json(candidates.back())},
		{"candidates", cands},
		{"tried", tried},
		{"result", pair},
		{"diff", diff},
		{"upstream_releases_between", releases_between},
		{"debian_versions_between", debian_between},
		{"changelog", changelog},
		{"wall_ms", wall_ms}};
}

int run_bisect(const BisectRequest &r, const std::vector<Selection> &selection, std::ostream &out,
	       std::ostream &progress)
{
	auto t0 = std::chrono::steady_clock::now();
	check_bisect_request(r, selection);
	const std::string id = selection[0].entry->expectations.id, subtest = selection[0].subtests[0];
	std::vector<DebianKernel> candidates;
	try {
		candidates = bisect_candidates(list_debian_kernels(r.matrix.cache_dir), r.good, r.bad);
	} catch (const std::invalid_argument &e) {
		throw ConfigError(e.what());
	}
	out << "bisect " << r.selector << ": " << candidates.size() << " Debian builds from good "
	    << build_name(candidates.front()) << " to bad " << build_name(candidates.back()) << "\n"
	    << std::flush;

	std::string work_dir = r.matrix.results_dir + "/bisect-" + file_stem(r.selector);
	std::string accel = r.matrix.accel;
	BuildRunner runner = [&](const std::vector<DebianKernel> &builds) {
		std::vector<BuildOutcome> outcomes(builds.size());
		MatrixOptions m = r.matrix;
		m.kernels.clear();
		m.kernel_images.clear();
		m.fetched_images.clear();
		m.selectors = {r.selector};
		m.results_dir = work_dir;
		m.accel = accel;
		for (size_t i = 0; i < builds.size(); ++i) {
			progress << "== bisect: fetching " << build_name(builds[i]) << "\n" << std::flush;
			try {
				// The Debian version names the build: unique among candidates, unlike the series.
				m.fetched_images.push_back(fetch_debian_build(builds[i], builds[i].version, m.cache_dir));
			} catch (const std::exception &e) {
				outcomes[i] = {"error", json::object(), std::string("cannot fetch the build: ") + e.what()};
			}
			r.matrix.interruption.check();
		}
		if (m.fetched_images.empty())
			return outcomes;
		for (const auto &run : run_matrix(m, selection, progress)) {
			for (size_t i = 0; i < builds.size(); ++i)
				if (builds[i].version == run.label) {
					outcomes[i] = outcome_from_results(run.results_file, id, subtest);
					outcomes[i].wall_ms = run.wall_ms;
				}
			// Probed once: a KVM probe that hangs costs its timeout on every boot.
			accel = run.accel;
		}
		for (size_t i = 0; i < builds.size(); ++i)
			progress << "== bisect: " << build_name(builds[i]) << ": " << outcomes[i].verdict
				 << (outcomes[i].usable() ? "" : " (" + outcomes[i].reason + ")") << ", "
				 << outcomes[i].wall_ms / 1000 << " s\n";
		return outcomes;
	};
	BisectOutcome o = bisect_builds(candidates, runner);

	out << "\nbuilds tried:\n";
	for (const auto &t : o.trials)
		out << "  " << t.judged << std::string(6 - t.judged.size(), ' ') << build_name(t.build) << "  "
		    << t.outcome.verdict << ", " << t.outcome.wall_ms / 1000 << " s"
		    << (t.outcome.usable() ? "" : ": " + t.outcome.reason) << "\n";

	std::vector<std::string> releases, debian_versions;
	std::string changelog;
	const DebianKernel &g = candidates[o.last_good], &b = candidates[o.first_bad];
	switch (o.status) {
	case BisectStatus::NothingToBisect:
		out << "\nnothing to bisect: good and bad observe the same in " << r.selector << "\n";
		break;
	case BisectStatus::EndpointUnusable:
		out << "\ncannot bisect: good or bad itself gave no usable result (see above); a build that "
		       "errs or skips is neither good nor bad\n";
		break;
	case BisectStatus::Found:
	case BisectStatus::OnlySkippedLeft: {
		if (o.status == BisectStatus::OnlySkippedLeft)
			out << "\nevery build between these two gave error or skipped; the change is somewhere between them:\n";
		else
			out << "\nthe first change:\n";
		out << "  last good:  " << build_name(g) << "\n  first bad:  " << build_name(b) << "\n";
		out << "observations that differ:\n";
		for (const auto &c : observation_diff(outcome_of(o, g)->observations, outcome_of(o, b)->observations))
			out << "  " << c.name << ": " << c.good.dump() << " -> " << c.bad.dump() << "\n";
		if (outcome_of(o, b)->observations != o.trials[1].outcome.observations)
			out << "  (the first bad build does not yet observe what bad does: a later change follows; "
			       "bisect again with it as good)\n";
		const DebianKernel &newer = newer_of(g, b), &older = &newer == &g ? b : g;
		changelog = find_build_changelog(debian_build_dir(newer, r.matrix.cache_dir), newer.package);
		if (changelog.empty()) {
			out << "no Debian changelog in " << debian_build_dir(newer, r.matrix.cache_dir) << "\n";
			break;
		}
		auto entries = parse_debian_changelog(read_changelog(changelog));
		releases = upstream_releases_between(entries, older.upstream, newer.upstream);
		debian_versions = debian_versions_between(entries, older.version, newer.version);
		out << "upstream releases between them (" << releases.size() << ", from " << changelog << "):\n";
		for (const auto &line : releases_by_series(releases))
			out << "  " << line << "\n";
		if (releases.empty()) {
			out << "  none: the same upstream version; Debian revisions between:";
			for (const auto &v : debian_versions)
				out << " " << v;
			out << "\n";
		}
		break;
	}
	}

	long wall_ms = ms_since(t0);
	std::string json_path = r.json_path.empty() ? r.matrix.results_dir + "/bisect-" + file_stem(r.selector) + ".json"
						     : r.json_path;
	if (auto parent = fs::path(json_path).parent_path(); !parent.empty())
		fs::create_directories(parent);
	write_file_atomic(json_path,
			  bisect_record(r, candidates, o, releases, debian_versions, changelog, wall_ms).dump(2) + "\n");
	out << "builds tried: " << o.trials.size() << " of " << candidates.size() << ", wall time "
	    << wall_ms / 1000 << " s\nrecord: " << json_path << "\n";
	switch (o.status) {
	case BisectStatus::Found:
		return 0;
	case BisectStatus::NothingToBisect:
		return 1;
	default:
		return 2;
	}
}

} // namespace xdplab
