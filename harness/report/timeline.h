// The findings timeline: for every seed claim (expectations.h SeedClaim), on
// which kernels it holds, in version order, and where it stopped or started
// holding. The claim is compared with each kernel's observations as
// expectations are (matches()), so old result files are read with today's claims.
#pragma once
#include "../expectations.h"
#include "../results.h"

#include <string>
#include <vector>

namespace xdplab {

enum class ClaimState { Holds, DoesNotHold, NotMeasured };
std::string to_string(ClaimState s); // "holds", "does-not-hold", "not-measured"

struct ClaimOnKernel {
	std::string release;
	KernelVersion version;
	ClaimState state = ClaimState::NotMeasured;
	std::string why_not; // for NotMeasured: "error: guest gave no results", "not run"
};

// A pinned range edge of the subtest's expectations: the release and the
// commit that arrives there (expectations.h from_commit / until_commit).
struct CommitEdge {
	KernelVersion at;
	std::string commit;
};

struct ClaimTimeline {
	std::string id, subtest, seed;
	SeedClaim claim; // text and observations empty when only the run's own verdict on it is known
	std::vector<ClaimOnKernel> kernels; // in the order of the runs given
	std::vector<CommitEdge> edges;      // where the expectations say the behaviour changes
};

// RUNS in version order. One timeline per subtest that has a seed claim in
// EXPECTATIONS and a result on some kernel; without an expectation file for
// an experiment, the seed_claim_holds its runs recorded.
std::vector<ClaimTimeline> findings_timeline(const std::vector<const RunResults *> &runs,
					     const std::vector<ExpectationFile> &expectations);

// "holds on 5.10.262; stops holding from 6.1.192 on (tested: 5.10.262, 6.1.192);
// not measured on 6.12.117 (error: ...)". A step names the commits whose edges
// lie between the two kernels: "stops holding from 6.12.57 on (4540aed51b12 at
// 6.12.53)", 6.12.57 being the first build tested that carries it.
std::string timeline_summary(const ClaimTimeline &t);

} // namespace xdplab
