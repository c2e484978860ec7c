// Kernel splats seen during a run, as `error` results naming the subtests
// that were running.
#include "runner.h"

#include "../kernel_log.h"

#include <regex>

namespace xdplab {

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

} // namespace xdplab
