// Turning per-frame measurements into the typed observations experiments
// report. Shared by experiments; pure functions of a StagedRun.
#pragma once
#include "staged_lab.h"

#include <map>
#include <string>
#include <vector>

namespace xdplab {

// The bench most of catalog A uses: one bpf_redirect_map call through
// tx_array[0] -> o0 carrying xdp_egress, the ingress program attached in the
// mode a subtest named "generic" asks for, else native.
StagedSetup single_redirect_setup(const std::string &subtest);

// run_staged(), where a generic-mode attach refused before 5.15 is a skip
// (that refusal is the devmap-prog-generic-mode finding, not this one's).
StagedRun run_staged_or_skip(Lab &lab, const StagedSetup &setup);

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


} // namespace xdplab
