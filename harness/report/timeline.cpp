#include "timeline.h"
#include "../headline.h"

#include <algorithm>
#include <map>
#include <set>

namespace xdplab {

std::string to_string(ClaimState s)
{
	switch (s) {
	case ClaimState::Holds:
		return "holds";
	case ClaimState::DoesNotHold:
		return "does-not-hold";
	case ClaimState::NotMeasured:
		break;
	}
	return "not-measured";
}

namespace {

const SubtestResult *result_of(const RunResults &r, const std::string &id, const std::string &subtest)
{
	for (const auto &e : r.experiments)
		if (e.id == id && e.subtest == subtest)
			return &e;
	return nullptr;
}

ClaimOnKernel state_on(const RunResults &run, const std::string &id, const std::string &subtest,
		       const SeedClaim &claim)
{
	ClaimOnKernel k{run.kernel.release, run.kernel.version, ClaimState::NotMeasured, ""};
	const SubtestResult *e = result_of(run, id, subtest);
	auto recorded = [&](const char *why) {
		if (e->seed_claim_holds)
			k.state = *e->seed_claim_holds ? ClaimState::Holds : ClaimState::DoesNotHold;
		else
			k.why_not = why;
	};
	if (!e) {
		k.why_not = "not run";
	} else if (e->verdict == Verdict::Skipped || e->verdict == Verdict::Error) {
		k.why_not = shortened(to_string(e->verdict) + (e->reason.empty() ? "" : ": " + e->reason), 72);
	} else if (claim.observations.empty()) {
		recorded("no seed claim recorded");
	} else if (claim.observations.dump().find("\"$packets\"") != std::string::npos &&
		   !e->evidence.contains("packets_sent")) {
		// How many frames were sent is not in this result: its own verdict on the claim stands.
		recorded("frames sent not recorded");
	} else {
		for (auto it = claim.observations.begin(); it != claim.observations.end(); ++it)
			if (!e->observations.contains(it.key())) {
				k.why_not = it.key() + " not observed";
				return k;
			}
		bool holds = mismatches(claim.observations, e->observations, match_context_of(*e)).empty();
		k.state = holds ? ClaimState::Holds : ClaimState::DoesNotHold;
	}
	return k;
}

ClaimTimeline timeline_of(const std::vector<const RunResults *> &runs, const std::string &id,
			  const std::string &subtest, const std::string &seed, const SeedClaim &claim)
{
	ClaimTimeline t{id, subtest, seed, claim, {}};
	for (const auto *r : runs)
		t.kernels.push_back(state_on(*r, id, subtest, claim));
	return t;
}

bool ran_anywhere(const std::vector<const RunResults *> &runs, const std::string &id, const std::string &subtest)
{
	for (const auto *r : runs)
		if (result_of(*r, id, subtest))
			return true;
	return false;
}

// A kernel by its version, or by its release where two share a version.
std::vector<std::string> labels_of(const std::vector<ClaimOnKernel> &kernels)
{
	std::map<std::string, int> uses;
	for (const auto &k : kernels)
		++uses[k.version.str()];
	std::vector<std::string> out;
	for (const auto &k : kernels)
		out.push_back(uses[k.version.str()] > 1 ? k.release : k.version.str());
	return out;
}

std::string span(const std::vector<std::string> &labels)
{
	return labels.size() == 1 ? labels.front() : labels.front() + " to " + labels.back();
}

std::string joined(const std::vector<std::string> &items)
{
	std::string out;
	for (const auto &i : items)
		out += (out.empty() ? "" : ", ") + i;
	return out;
}

} // namespace

std::vector<ClaimTimeline> findings_timeline(const std::vector<const RunResults *> &runs,
					     const std::vector<ExpectationFile> &expectations)
{
	std::vector<ClaimTimeline> out;
	std::set<std::string> described;
	for (const auto &f : expectations) {
		described.insert(f.id);
		for (const auto &[subtest, st] : f.subtests)
			if (st.seed_claim && ran_anywhere(runs, f.id, subtest))
			{
				out.push_back(timeline_of(runs, f.id, subtest, f.seed, *st.seed_claim));
				for (const auto &r : st.ranges)
					for (auto [edge, commit] : {std::pair{r.kernels.from, r.from_commit},
								    std::pair{r.kernels.until, r.until_commit}})
						if (edge && !commit.empty())
							out.back().edges.push_back({*edge, commit});
			}
	}
	// Experiments without an expectation file here: what their runs recorded.
	std::set<std::pair<std::string, std::string>> recorded;
	for (const auto *r : runs)
		for (const auto &e : r->experiments)
			if (e.seed_claim_holds && !described.count(e.id))
				recorded.insert({e.id, e.subtest});
	for (const auto &[id, subtest] : recorded)
		out.push_back(timeline_of(runs, id, subtest, "", SeedClaim{}));
	return out;
}

std::string timeline_summary(const ClaimTimeline &t)
{
	std::vector<std::string> labels = labels_of(t.kernels);
	// Runs of equal state over the measured kernels, in version order.
	struct Segment {
		bool holds;
		std::vector<std::string> kernels;
		std::vector<KernelVersion> versions;
	};
	// The commits whose edges lie in (before, after]: what the step rests on.
	auto commits_between = [&](const KernelVersion &before, const KernelVersion &after) {
		std::vector<std::string> found;
		for (const auto &e : t.edges) {
			std::string s = e.commit + " at " + (e.at.patch ? e.at.str() : std::to_string(e.at.major) + "." +
										 std::to_string(e.at.minor));
			if (before < e.at && e.at <= after && std::find(found.begin(), found.end(), s) == found.end())
				found.push_back(s);
		}
		return found.empty() ? std::string() : " (" + joined(found) + ")";
	};
	std::vector<Segment> segments;
	std::vector<std::string> tested, unmeasured;
	for (size_t i = 0; i < t.kernels.size(); ++i) {
		const ClaimOnKernel &k = t.kernels[i];
		if (k.state == ClaimState::NotMeasured) {
			unmeasured.push_back(labels[i] + " (" + k.why_not + ")");
			continue;
		}
		bool holds = k.state == ClaimState::Holds;
		tested.push_back(labels[i]);
		if (segments.empty() || segments.back().holds != holds)
			segments.push_back({holds, {}, {}});
		segments.back().kernels.push_back(labels[i]);
		segments.back().versions.push_back(k.version);
	}
	if (segments.empty())
		return "not measured on any kernel: " + joined(unmeasured);
	std::string out;
	if (segments.size() == 1) {
		out = std::string(segments[0].holds ? "holds" : "does not hold") + " on every kernel tested (" +
		      joined(tested) + ")";
	} else {
		out = std::string(segments[0].holds ? "holds" : "does not hold") + " on " + span(segments[0].kernels);
		bool held_before = segments[0].holds;
		for (size_t i = 1; i < segments.size(); ++i) {
			const char *change = !segments[i].holds ? "stops holding" : held_before ? "holds again" : "starts holding";
			held_before = held_before || segments[i].holds;
			out += std::string("; ") + change + " from " + segments[i].kernels.front() +
			       (i + 1 == segments.size() ? " on" : "") +
			       commits_between(segments[i - 1].versions.back(), segments[i].versions.front());
		}
		out += " (tested: " + joined(tested) + ")";
	}
	if (!unmeasured.empty())
		out += "; not measured on " + joined(unmeasured);
	return out;
}

} // namespace xdplab
