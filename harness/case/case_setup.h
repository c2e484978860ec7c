// One subtest of a case set up on its network (case_run.cpp calls these in
// this order): its objects loaded, their maps filled, its XDP and tc programs
// attached. Each records what the kernel answered in the lab's evidence
// (load, map_updates, attach, tc_attach); a refusal the case allows
// (may_fail) is recorded as the answer instead of ending the run, and an
// object or XDP program refused marks the steps that need it not to run
// (lab.failed_objects, lab.network_blocked).
#pragma once
#include "case_lab.h"

namespace xdplab {

void load_objects(CaseLab &lab);
void fill_maps(CaseLab &lab);
void attach_xdp_programs(CaseLab &lab);
void attach_tc_programs(CaseLab &lab);

} // namespace xdplab
