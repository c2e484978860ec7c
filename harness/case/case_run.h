// Runs one subtest of a case: builds its network, loads its objects, fills
// its maps, attaches its programs, runs its traffic step by step, collects
// until every frame is accounted for, reads maps and globals, and evaluates
// the observations over the evidence. Everything is torn down on return or
// unwinding (or left up with --keep).
#pragma once
#include "case_spec.h"

#include <ostream>

namespace xdplab {

struct SubtestContext;

struct CaseOutcome {
	json observations = json::object();
	json evidence = json::object();   // what the results file keeps (a summary)
	json document = json::object();   // the whole evidence the observations read
	std::string problem;              // why the evidence cannot be trusted ("" when it can)
};

CaseOutcome run_case(const CaseSpec &spec, SubtestContext &ctx);

// The commands and steps that rebuild the subtest by hand (--explain),
// derived from the same spec the run uses.
void explain_case(std::ostream &out, const CaseSpec &spec, const SubtestContext &ctx);

} // namespace xdplab
