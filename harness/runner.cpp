#include "runner.h"

#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <set>

namespace xdplab {

std::vector<ExperimentFactory> &experiment_registry()
{
	static std::vector<ExperimentFactory> registry;
	return registry;
}

std::vector<CatalogEntry> load_catalog(const std::string &dir)
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
		const auto subtests = e.experiment->subtests();
		std::set<std::string> declared(subtests.begin(), subtests.end());
		for (const auto &s : declared)
			if (!e.expectations.subtests.count(s))
				throw ConfigError(path + ": at /subtests: no expectations for subtest \"" + s + "\"");
		for (const auto &[s, _] : e.expectations.subtests)
			if (!declared.count(s))
				throw ConfigError(path + ": at /subtests/" + s + ": the experiment has no such subtest");
		out.push_back(std::move(e));
	}
	std::sort(out.begin(), out.end(),
		  [](const CatalogEntry &a, const CatalogEntry &b) { return a.experiment->id() < b.experiment->id(); });
	return out;
}

std::vector<Selection> select(const std::vector<CatalogEntry> &catalog, const std::vector<std::string> &selectors)
{
	std::vector<Selection> out;
	auto add = [&](const CatalogEntry &e, const std::string &sub) {
		for (auto &s : out)
			if (s.entry == &e) {
				if (std::find(s.subtests.begin(), s.subtests.end(), sub) == s.subtests.end())
					s.subtests.push_back(sub);
				return;
			}
		out.push_back({&e, {sub}});
	};
	if (selectors.empty()) {
		for (const auto &e : catalog)
			for (const auto &s : e.experiment->subtests())
				add(e, s);
		return out;
	}
	for (const auto &sel : selectors) {
		std::string id_pat = sel, sub_pat = "*";
		if (auto slash = sel.find('/'); slash != std::string::npos) {
			id_pat = sel.substr(0, slash);
			sub_pat = sel.substr(slash + 1);
		}
		bool hit = false;
		for (const auto &e : catalog) {
			if (fnmatch(id_pat.c_str(), e.experiment->id().c_str(), 0) != 0)
				continue;
			for (const auto &s : e.experiment->subtests())
				if (fnmatch(sub_pat.c_str(), s.c_str(), 0) == 0) {
					add(e, s);
					hit = true;
				}
		}
		if (!hit)
			throw ConfigError("unknown experiment \"" + sel + "\" (see ./run.sh --list)");
	}
	return out;
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

namespace {
long ms_since(std::chrono::steady_clock::time_point t)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}
} // namespace

RunResults run_experiments(const std::vector<Selection> &selection, Lab base, const RunnerOptions &opt,
			   std::ostream &progress)
{
	RunResults results;
	results.kernel = base.kernel;
	results.started = iso8601_now();
	auto run_start = std::chrono::steady_clock::now();
	size_t total = 0, done = 0;
	for (const auto &s : selection)
		total += s.subtests.size();

	uint32_t case_id = 0;
	for (const auto &sel : selection) {
		const auto &exp = sel.entry->expectations;
		for (const auto &sub : sel.subtests) {
			++done;
			progress << "[" << done << "/" << total << "] " << exp.id << "/" << sub << " ... " << std::flush;
			auto t0 = std::chrono::steady_clock::now();
			SubtestResult r;
			r.id = exp.id;
			r.subtest = sub;
			const SubtestExpectation &st = exp.subtests.at(sub);
			MatchContext ctx{base.packets};
			if (auto g = gate(exp.requires_, base.caps, base.kernel.version)) {
				r.verdict = g->verdict;
				r.reason = g->reason;
				r.basis = g->basis;
			} else {
				Lab lab = base;
				lab.case_id = ++case_id;
				lab.keep = opt.keep;
				try {
					Measurement m = sel.entry->experiment->run(sub, lab);
					r.observations = m.observations;
					r.evidence = m.evidence;
					Evaluation ev = evaluate(st, base.kernel.version, r.observations, ctx);
					r.verdict = ev.verdict;
					r.reason = ev.reason;
					r.expected = ev.expected;
					r.basis = ev.basis;
					r.seed_claim_holds = ev.seed_claim_holds;
				} catch (const Interrupted &) {
					throw;
				} catch (const SkipSubtest &e) {
					r.verdict = Verdict::Skipped;
					r.reason = e.what();
				} catch (const std::exception &e) {
					base.check_interrupt(); // a tool killed by our SIGINT is not an experiment error
					r.verdict = Verdict::Error;
					r.reason = e.what();
				}
			}
			r.duration_ms = ms_since(t0);
			progress << to_string(r.verdict) << " (" << r.duration_ms << " ms)\n";
			results.experiments.push_back(std::move(r));
		}
	}
	results.duration_ms = ms_since(run_start);
	return results;
}

void explain_experiments(const std::vector<Selection> &selection, Lab base, std::ostream &out)
{
	base.dry_run = true;
	base.explain = &out;
	uint32_t case_id = 0;
	for (const auto &sel : selection)
		for (const auto &sub : sel.subtests) {
			out << "\n### " << sel.entry->expectations.id << "/" << sub << "\n";
			Lab lab = base;
			lab.case_id = ++case_id;
			try {
				sel.entry->experiment->run(sub, lab);
			} catch (const ExplainedOnly &) {
			}
		}
}

} // namespace xdplab
