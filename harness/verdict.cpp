#include "verdict.h"

namespace xdplab {

Evaluation evaluate(const SubtestExpectation &exp, const KernelVersion &kernel, const json &observations,
		    const MatchContext &ctx)
{
	Evaluation ev;
	if (exp.seed_claim)
		ev.seed_claim_holds = mismatches(exp.seed_claim->observations, observations, ctx).empty();

	const RangeExpectation *r = exp.for_kernel(kernel);
	if (!r) {
		ev.verdict = Verdict::Skipped;
		ev.reason = "no expectation covers kernel " + kernel.str() + "; observations recorded only";
		return ev;
	}
	ev.expected = r->observations;
	ev.basis = r->basis;
	auto diff = mismatches(r->observations, observations, ctx);
	if (diff.empty()) {
		ev.verdict = Verdict::Confirmed;
		ev.reason = "as expected for kernels " + r->kernels.str();
	} else {
		ev.verdict = Verdict::Deviates;
		ev.reason.clear();
		for (const auto &d : diff)
			ev.reason += (ev.reason.empty() ? "" : "; ") + d;
		ev.reason += " (expectation for kernels " + r->kernels.str() + ")";
	}
	return ev;
}

std::optional<Evaluation> gate(const std::vector<Requirement> &reqs, const Capabilities &caps,
			       const KernelVersion &kernel)
{
	for (const auto &req : reqs) {
		auto it = caps.find(req.capability);
		bool present = it != caps.end() && it->second;
		if (present)
			continue;
		Evaluation ev;
		ev.basis = req.basis;
		if (req.since && kernel >= *req.since) {
			ev.verdict = Verdict::Deviates;
			ev.reason = "capability " + req.capability + " is missing, but kernels since " + req.since->str() +
				    " have it";
		} else {
			ev.verdict = Verdict::Skipped;
			ev.reason = "capability " + req.capability + " is not available on this host" +
				    (req.since ? " (needs " + req.since->str() + "+)" : std::string());
		}
		return ev;
	}
	return std::nullopt;
}

} // namespace xdplab
