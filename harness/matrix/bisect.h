// Bisect over Debian kernel builds: which two adjacent builds first differ in
// one subtest's observations. Planning only: what runs a build is a function
// the caller passes (a VM in bisect_run.h, a fake in the unit tests).
#pragma once
#include "../vm/kernel_images.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

// What one run of the subtest on one build gave.
struct BuildOutcome {
	std::string verdict;  // confirmed, deviates, skipped, error
	json observations;    // the subtest's observations object
	std::string reason;   // why, for skipped and error
	long wall_ms = 0;
	// error and skipped say nothing about the behaviour: such a build is
	// neither good nor bad (git bisect skip).
	bool usable() const { return verdict != "error" && verdict != "skipped"; }
};

// Runs the subtest on each build given (several at once where it can) and
// returns one outcome per build, in the same order.
using BuildRunner = std::function<std::vector<BuildOutcome>(const std::vector<DebianKernel> &)>;

struct BisectTrial {
	DebianKernel build;
	BuildOutcome outcome;
	std::string judged; // "good" (observes what good does), "bad" (anything else), "skip"
};

enum class BisectStatus {
	Found,          // two adjacent builds: the last one like good, the first one not
	NothingToBisect, // good and bad observe the same
	EndpointUnusable, // good or bad itself gave error or skipped
	OnlySkippedLeft, // narrowed down, but every build left between gave error or skipped
};
std::string to_string(BisectStatus s);

struct BisectOutcome {
	BisectStatus status = BisectStatus::NothingToBisect;
	std::vector<BisectTrial> trials; // in the order they ran
	// Indices into the candidates: the last build seen to behave like good and
	// the first seen not to. Adjacent when status is Found.
	size_t last_good = 0, first_bad = 0;
};

// The outcome of the trial of build k, nullptr if it was not tried.
const BuildOutcome *outcome_of(const BisectOutcome &o, const DebianKernel &k);

// candidates[0] is good, candidates.back() bad, the ones between in upstream
// order from good towards bad. Boots good and bad together, then halves the
// range between the nearest good-like and bad-like builds until they are
// adjacent; a build that is not usable is skipped and its nearest untried
// neighbour in the range is tried instead. A build counts as good when its
// observations equal good's, bad otherwise: the change found is the first one
// away from good's behaviour, even where it is not yet bad's.
BisectOutcome bisect_builds(const std::vector<DebianKernel> &candidates, const BuildRunner &run);

// Every complete build between good and bad inclusive, ordered from good to
// bad (oldest first when good is the older one); an unsigned build only where
// no signed build of the same version exists, since it is the same kernel.
// Throws std::invalid_argument when a request matches nothing or both name one build.
std::vector<DebianKernel> bisect_candidates(const std::vector<DebianKernel> &available,
					    const std::string &good_request, const std::string &bad_request);

struct ObservationChange {
	std::string name;
	json good, bad; // null where the observation is absent
};

// Top-level observations whose values differ, in name order.
std::vector<ObservationChange> observation_diff(const json &good, const json &bad);

// "linux-image-6.1.0-47-amd64 6.1.170-3 (6.1.170)"
std::string build_name(const DebianKernel &k);

} // namespace xdplab
