#include "verdict.h"

namespace xdplab {

namespace {

// The value at a path of open_observations() ("a.b[1]"); null when absent.
json observed_at(const json &observations, const std::string &path)
{
	const json *at = &observations;
	size_t i = 0;
	while (i < path.size()) {
		if (path[i] == '.')
			++i;
		if (path[i] == '[') {
			size_t end = path.find(']', i);
			size_t index = std::stoul(path.substr(i + 1, end - i - 1));
			if (!at->is_array() || index >= at->size())
				return nullptr;
			at = &(*at)[index];
			i = end + 1;
			continue;
		}
		size_t end = path.find_first_of(".[", i);
		std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
		if (!at->is_object() || !at->contains(key))
			return nullptr;
		at = &(*at)[key];
		i = end == std::string::npos ? path.size() : end;
	}
	return *at;
}

} // namespace

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
	auto open = open_observations(r->observations);
	if (diff.empty() && open.empty()) {
		ev.verdict = Verdict::Confirmed;
		ev.reason = "as expected for kernels " + r->kernels.str();
	} else if (diff.empty()) {
		// Matching could not have failed on what the claim is about: say what was seen, not "as expected".
		ev.verdict = Verdict::Unpinned;
		for (const auto &path : open)
			ev.reason += (ev.reason.empty() ? "" : "; ") + path + " = " + observed_at(observations, path).dump();
		ev.reason += ": the expectation for kernels " + r->kernels.str() + " accepts more than one value there";
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
