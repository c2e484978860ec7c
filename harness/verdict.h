// The verdict: a pure comparison of observations with the expectation for
// this kernel, plus the capability gate that decides skip vs deviates.
#pragma once
#include "expectations.h"
#include "results.h"

#include <map>

namespace xdplab {

// unpinned: the observations match the expectation for this kernel, but it
// accepts more than one value ($any, $one_of) for an observation the claim is
// about; the reason names each such observation with the value seen.
struct Evaluation {
	Verdict verdict = Verdict::Error;
	std::string reason;
	json expected = json::object();
	std::string basis;
	std::optional<bool> seed_claim_holds;
};

Evaluation evaluate(const SubtestExpectation &exp, const KernelVersion &kernel, const json &observations,
		    const MatchContext &ctx);

// Capabilities probed on this kernel: name -> present.
using Capabilities = std::map<std::string, bool>;

// nullopt: every requirement is met, run the experiment. Otherwise the result
// to report instead: skipped (kernel older than `since`, or no `since`) or
// deviates (the kernel is in the range where the capability should exist).
std::optional<Evaluation> gate(const std::vector<Requirement> &reqs, const Capabilities &caps,
			       const KernelVersion &kernel);

} // namespace xdplab
