// Turning per-frame measurements into the typed observations experiments
// report. Shared by experiments; pure functions of a StagedRun.
#pragma once
#include "staged_lab.h"

#include <map>
#include <string>
#include <vector>

namespace xdplab {

// The value every frame showed, or {"varies": [distinct values]} when frames
// disagree, or null when no frame showed anything.
json uniform(const std::vector<json> &per_frame);

// Roles (names given by `role_names`: link role -> reported name) whose devmap
// program ran, from the stage-2 events' egress_ifindex; sorted, unique.
json devmap_progs_ran(const StagedRun &run, const std::map<std::string, std::string> &role_names);

// Tagged frames per receiver, renamed ("o0" -> "first_target"); receivers not
// named are left out.
json delivered_as(const StagedRun &run, const std::map<std::string, std::string> &role_names);

// The first kernel tracepoint that reports a failure (err != 0, or an
// xdp_exception): {"event": name, "err": code}, or null.
json drop_tracepoint(const StagedRun &run);

// A generic-mode attach refused on a kernel older than `works_since` is a skip
// (that is the devmap-prog-generic-mode finding, not this experiment's);
// anywhere else it is an error.
void skip_if_generic_attach_refused(const StagedRun &run, const Lab &lab, const KernelVersion &works_since);

} // namespace xdplab
