// Lint of the kernel ranges of an expectation file against the basis: does
// each edge sit where the commit it rests on arrives?
#pragma once
#include "../expectations.h"
#include "basis.h"
#include "commit_registry.h"

#include <string>
#include <vector>

namespace xdplab {

struct LintFinding {
	bool error = true; // else a warning
	std::string message; // "<path>: at <pointer>: ..."
};

// Errors:
//   - an edge's commit that the registry does not know;
//   - an edge at a mainline release x.y whose commit is first in another mainline release;
//   - an edge at a stable release x.y.z (z > 0) whose commit arrives in series x.y at
//     another release, per the changelog (or the recorded backport when the
//     changelog does not list it), or not at all, or with the series itself;
//   - a range that covers builds of a series on the wrong side of the commit
//     its edge rests on (the series got a backport inside the range).
// Warnings:
//   - an edge inside a series the archive serves (x.y.z, z > 0) naming no commit;
//   - a commit cited in a basis that the registry does not know.
std::vector<LintFinding> lint_boundaries(const ExpectationFile &f, const CommitRegistry &registry, const Basis &basis);

} // namespace xdplab
