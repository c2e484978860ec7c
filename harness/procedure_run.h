// Runs a ProcedurePlan (plan.h): builds its small topology (namespaces and
// veth pairs with run-unique ifindexes), hands the procedure a context, and
// tears everything down, reporting every teardown problem.
#pragma once
#include "plan.h"

#include <ostream>

namespace xdplab {

struct SubtestContext;

Measurement run_procedure(const ProcedurePlan &plan, SubtestContext &ctx);
// The commands that rebuild its topology, then its steps (--explain).
void explain_procedure(std::ostream &out, const ProcedurePlan &plan, const SubtestContext &ctx);

} // namespace xdplab
