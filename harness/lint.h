// Checks of an expectation file against the experiment it describes, beyond
// what parsing checks: problems that make a file mean something other than
// its author thought (overlapping ranges, where the first listed silently
// wins) or that let a measurement go unchecked.
#pragma once
#include "expectations.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace xdplab {

// measured: subtest -> the observation names the experiment measures for it.
// One message per problem, each naming the file and a JSON pointer, as
// parse errors do ("<path>: at /subtests/native/expect/2: ..."):
//   - two ranges of one subtest overlap (both positions, and the overlap);
//   - an expected observation, in a range or in seed_claim, that the
//     experiment does not measure for that subtest;
//   - a measured observation that no range of the subtest mentions;
//   - a headline rule (the subtest's or the file's) whose `when` or
//     {placeholder} reads an observation the subtest does not measure;
//   - a measured subtest with no expectations, or expectations for a subtest
//     the experiment does not have.
// Empty when the file is clean.
std::vector<std::string> lint_expectations(const ExpectationFile &f,
					   const std::map<std::string, std::set<std::string>> &measured);

} // namespace xdplab
