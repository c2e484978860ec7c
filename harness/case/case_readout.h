// What one subtest of a case is read for around its traffic: what links
// advertise, their counters before and after, the maps, globals and program
// ids it leaves, and whether the evidence collected can be trusted at all.
#pragma once
#include "../accounting.h"
#include "case_lab.h"

#include <string>

namespace xdplab {

// Maps named in `read:`, every object's globals and program ids, and (with
// kernel_log:) the kernel log, into the lab's evidence.
void read_state(CaseLab &lab);

// What every link advertises (xdp_features), into the lab's evidence.
void read_features(CaseLab &lab);

// Every link's counters: the kernel's (IFLA_STATS64, as `ip -s link`) and the driver's (`ethtool -S`).
json read_counters(const CaseLab &lab);

// What the traffic moved: after - before, counter by counter.
json counters_moved(const json &before, const json &after);

// Why the evidence cannot be trusted (events, frames or trace records lost,
// tagged frames or a tool's frames unaccounted for), or "".
std::string evidence_problem(const CaseLab &lab, const Accounting &a);

} // namespace xdplab
