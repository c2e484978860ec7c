#include "runner.h"

#include "../case/case_experiment.h"
#include "../case/case_run.h"
#include "../case/jq_observations.h"
#include "../kernel_log.h"
#include "../lint.h"
#include "procedure_run.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <regex>
#include <thread>

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

struct Job {
	const CatalogEntry *entry;
	std::string subtest;
	uint32_t case_id;
};

std::vector<Job> jobs_of(const std::vector<Selection> &selection)
{
	std::vector<Job> jobs;
	uint32_t case_id = 0;
	for (const auto &sel : selection)
		for (const auto &sub : sel.subtests)
			jobs.push_back({sel.entry, sub, ++case_id});
	// Subtests paced by tools first, the rest in their order (the results
	// keep the selection's order: case ids follow it).
	std::stable_partition(jobs.begin(), jobs.end(),
			      [](const Job &j) { return j.entry->experiment->paced_by_tools(j.subtest); });
	return jobs;
}

// The whole evidence document of a case subtest, for `jq EXPR FILE` by hand.
std::string write_evidence(const std::string &dir, const std::string &id, const std::string &subtest, const json &doc)
{
	std::filesystem::create_directories(dir);
	std::string path = dir + "/" + id + "--" + subtest + ".json";
	write_file_atomic(path, doc.dump(1) + "\n");
	return path;
}

// Observations must be the ones the experiment declares, so that the lint's
// promise (every measured observation has an expectation) holds at run time.
void check_declared(const Experiment &exp, const std::string &sub, const json &observations)
{
	auto names = exp.observation_names(sub);
	for (auto it = observations.begin(); it != observations.end(); ++it)
		if (!names.count(it.key()))
			throw std::logic_error(exp.id() + " reports observation \"" + it.key() +
					       "\" that it does not declare");
}

SubtestResult run_one(const Job &job, SubtestContext ctx)
{
	const Experiment &exp = *job.entry->experiment;
	const auto &expectations = job.entry->expectations;
	SubtestResult r;
	r.id = exp.id();
	r.subtest = job.subtest;
	std::vector<Requirement> requires_ = expectations.requires_;
	for (auto &r : exp.subtest_requirements(job.subtest))
		requires_.push_back(r);
	if (auto g = gate(requires_, ctx.caps, ctx.kernel.version)) {
		r.verdict = g->verdict;
		r.reason = g->reason;
		r.basis = g->basis;
		return r;
	}
	try {
		Plan plan = exp.plan(job.subtest);
		std::string problem;
		if (auto *c = std::get_if<CasePlan>(&plan)) {
			CaseOutcome o = run_case(*c->spec, ctx);
			r.observations = o.observations;
			r.evidence = o.evidence;
			problem = o.problem;
			if (!ctx.options.evidence_dir.empty())
				r.evidence["evidence_file"] = write_evidence(ctx.options.evidence_dir, exp.id(), job.subtest,
									      o.document);
		} else {
			Measurement m = run_procedure(std::get<ProcedurePlan>(plan), job.subtest, ctx);
			r.observations = m.observations;
			r.evidence = m.evidence;
		}
		check_declared(exp, job.subtest, r.observations);
		if (!problem.empty()) {
			r.verdict = Verdict::Error;
			r.reason = problem;
			return r;
		}
		Evaluation ev = evaluate(expectations.subtests.at(job.subtest), ctx.kernel.version, r.observations,
					 MatchContext{ctx.options.packets});
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
		ctx.interruption.check(); // a tool killed by our SIGINT is not an experiment error
		r.verdict = Verdict::Error;
		r.reason = e.what();
	}
	return r;
}

} // namespace

RunResults run_experiments(const std::vector<Selection> &selection, const SubtestContext &base,
			   std::ostream &progress, KernelLogWatch *kernel_log)
{
	RunResults results;
	results.kernel = base.kernel;
	results.started = iso8601_now();
	auto run_start = std::chrono::steady_clock::now();
	const std::vector<Job> jobs = jobs_of(selection);
	// libbpf-free and slow (~0.3 s): the observations compile while the first topologies are built.
	std::thread compile_observations(ObservationProgram::compile_registered);
	std::vector<SubtestResult> done(jobs.size());
	std::atomic<size_t> next{0};
	std::atomic<bool> interrupted{false};
	std::mutex progress_mu;
	size_t finished = 0;

	auto worker = [&] {
		for (size_t i; !interrupted && (i = next++) < jobs.size();) {
			SubtestContext ctx = base;
			ctx.case_id = jobs[i].case_id;
			const std::string name = jobs[i].entry->experiment->id() + "/" + jobs[i].subtest;
			if (kernel_log)
				kernel_log->started(name);
			auto t0 = std::chrono::steady_clock::now();
			try {
				done[i] = run_one(jobs[i], ctx);
			} catch (const Interrupted &) {
				interrupted = true;
				return;
			}
			if (kernel_log)
				kernel_log->ended(name);
			done[i].duration_ms = ms_since(t0);
			std::lock_guard<std::mutex> lock(progress_mu);
			progress << "[" << ++finished << "/" << jobs.size() << "] " << done[i].id << "/" << done[i].subtest
				 << " ... " << to_string(done[i].verdict) << " (" << done[i].duration_ms << " ms)\n"
				 << std::flush;
		}
	};
	size_t n = std::min<size_t>(jobs.size(), static_cast<size_t>(std::max(1, base.options.jobs)));
	std::vector<std::thread> workers;
	for (size_t i = 1; i < n; ++i)
		workers.emplace_back(worker);
	worker();
	for (auto &t : workers)
		t.join();
	compile_observations.join();
	if (interrupted)
		throw Interrupted();
	std::vector<size_t> order(jobs.size());
	for (size_t i = 0; i < order.size(); ++i)
		order[i] = i;
	std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return jobs[a].case_id < jobs[b].case_id; });
	for (size_t i : order)
		results.experiments.push_back(std::move(done[i]));
	results.duration_ms = ms_since(run_start);
	results.catalog = json::object();
	for (const auto &sel : selection)
		results.catalog[sel.entry->expectations.id] = sel.entry->expectations.document;
	return results;
}

namespace {

bool provoked_by_running_subtest(const Splat &splat, const std::vector<Selection> &selection)
{
	for (const auto &running : splat.running)
		for (const auto &sel : selection) {
			const Experiment &exp = *sel.entry->experiment;
			if (running.rfind(exp.id() + "/", 0) != 0)
				continue;
			for (const auto &w : exp.provoked_kernel_warnings())
				if (std::regex_search(splat.context, std::regex(w.pattern)))
					return true;
		}
	return false;
}

std::string joined(const std::vector<std::string> &v)
{
	std::string out;
	for (const auto &x : v)
		out += (out.empty() ? "" : ", ") + x;
	return out;
}

} // namespace

std::vector<SubtestResult> splat_results(const std::vector<Splat> &splats, const std::vector<Selection> &selection)
{
	std::vector<SubtestResult> out;
	for (const auto &splat : splats) {
		if (provoked_by_running_subtest(splat, selection))
			continue;
		SubtestResult r;
		r.id = "kernel";
		r.subtest = "splat";
		r.verdict = Verdict::Error;
		std::string when = !splat.running.empty() ? " while running: " + joined(splat.running)
				   : !splat.after.empty()    ? " (after: " + splat.after + ")"
							     : " while no subtest was running";
		r.reason = "the kernel logged: " + splat.first_line + when;
		r.evidence = {{"report", splat.context}, {"running", splat.running}};
		if (!splat.after.empty())
			r.evidence["last_progress_before"] = splat.after;
		out.push_back(r);
	}
	return out;
}

void explain_experiments(const std::vector<Selection> &selection, const SubtestContext &base, std::ostream &out)
{
	for (const auto &job : jobs_of(selection)) {
		SubtestContext ctx = base;
		ctx.case_id = job.case_id;
		out << "\n### " << job.entry->experiment->id() << "/" << job.subtest << "\n";
		Plan plan = job.entry->experiment->plan(job.subtest);
		if (auto *c = std::get_if<CasePlan>(&plan))
			explain_case(out, *c->spec, ctx);
		else
			explain_procedure(out, std::get<ProcedurePlan>(plan), job.subtest, ctx);
	}
}

} // namespace xdplab
