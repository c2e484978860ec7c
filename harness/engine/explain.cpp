// --explain: each selected subtest's plan in words and commands, nothing run.
#include "runner_jobs.h"

#include "../case/case_run.h"
#include "procedure_run.h"

namespace xdplab {

void explain_experiments(const std::vector<Selection> &selection, const SubtestContext &base, std::ostream &out)
{
	for (const auto &job : subtest_jobs(selection)) {
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
