// Runs a ProcedurePlan (plan.h): builds the lab network if asked for, runs
// the body with a Lab inside it, and tears everything down, reporting every
// teardown problem. --explain runs the body with a Lab that only says what
// each step would do.
#pragma once
#include "../plan.h"

#include <ostream>

namespace xdplab {

struct SubtestContext;

Measurement run_procedure(const ProcedurePlan &plan, const std::string &subtest, SubtestContext &ctx);
void explain_procedure(std::ostream &out, const ProcedurePlan &plan, const std::string &subtest,
		       SubtestContext &ctx);

} // namespace xdplab
