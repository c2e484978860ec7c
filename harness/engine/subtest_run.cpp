// Running one subtest, whichever kind its plan is (a case or a procedure),
// and judging what it observed against the expectation for this kernel.
#include "runner_jobs.h"

#include "../case/case_run.h"
#include "procedure_run.h"

#include <filesystem>

namespace xdplab {

namespace {

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

} // namespace

SubtestResult run_subtest(const SubtestJob &job, SubtestContext ctx)
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

} // namespace xdplab
