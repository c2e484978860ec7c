// Expectation files (experiments/<id>.json): what each subtest should observe
// on each kernel range, why (basis), and what the seed document claimed.
#pragma once
#include "kernel_version.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

// A malformed file: the message names the file and the position (line:column
// for syntax, a JSON pointer for structure).
class ExpectationError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

struct Requirement {
	std::string capability; // probed at run time (see probe.h)
	std::optional<KernelVersion> since; // kernels from here on must have it
	std::string basis;
};

struct RangeExpectation {
	VersionRange kernels;
	// The commit each edge rests on (12+ hex digits of the mainline commit):
	// `from` is the first kernel that carries from_commit, `until` the first
	// that carries until_commit. `./run.sh --lint` checks an edge at a stable
	// release against the first build of that series carrying the commit.
	std::string from_commit, until_commit;
	json observations; // observation name -> value or matcher
	std::string basis;
};

struct SeedClaim {
	std::string text;
	std::string observed_on;
	json observations; // what the seed's finding amounts to, in observation terms
};

// How the report sums a subtest up in a few words ("meta 4 B kept"): the
// first rule whose `when` matches the observations (as expectations match),
// with its {placeholders} filled in from them; {a.b} reaches into an object.
// No rule that fits: the report falls back to "name=value" of what the
// expectation names.
struct HeadlineRule {
	json when = json::object();
	std::string text;
};
using Headline = std::vector<HeadlineRule>;

struct SubtestExpectation {
	std::optional<SeedClaim> seed_claim;
	Headline headline; // empty: the file's headline
	std::vector<RangeExpectation> ranges; // first match wins
	const RangeExpectation *for_kernel(const KernelVersion &v) const;
};

struct ExpectationFile {
	std::string path;
	json document; // as read: results carry it, so that a report needs no expectation files
	std::string id, title, seed, claim;
	std::vector<Requirement> requires_;
	Headline headline; // for every subtest without its own
	std::map<std::string, SubtestExpectation> subtests;
	const Headline &headline_of(const std::string &subtest) const;
};

ExpectationFile parse_expectations(const std::string &text, const std::string &path);
// The same from a document already read (a case file's expectations, turned
// from YAML): `locate` turns a JSON pointer into "file:line:column" for
// messages; a document read with one may omit "seed" (a user's own question).
using Locator = std::function<std::string(const std::string &pointer)>;
ExpectationFile parse_expectations_doc(const json &doc, const std::string &path, const Locator &locate = {});
ExpectationFile load_expectations(const std::string &path);

// 12 to 40 lower-case hex digits.
bool is_commit_id(const std::string &s);

// Matching an observed value against an expected one. Expected values are JSON
// literals compared exactly, objects compared key by key (same keys), or one
// of the matchers:
//   {"$any": "why any value is acceptable"}
//   {"$one_of": [v1, v2, ...]}
//   {"$incidental": "why this observation is not part of the claim"}
// $any and $one_of leave the claim open (the subtest is `unpinned`, see
// verdict.h); $incidental marks a value recorded beside the claim, such as a
// once-per-boot message whose presence depends on what ran before.
//   "$packets"  -- the number of frames the subtest sent
struct MatchContext {
	int packets = 0;
};
bool matches(const json &expected, const json &observed, const MatchContext &ctx);

// Where an expectation accepts more than one value for the claim: the paths
// ("update_errno", "delete_errno.never_set") of its $any and $one_of matchers.
std::vector<std::string> open_observations(const json &expected);

// Mismatches of every expected observation, as "name: expected X, observed Y".
std::vector<std::string> mismatches(const json &expected, const json &observed, const MatchContext &ctx);

} // namespace xdplab
