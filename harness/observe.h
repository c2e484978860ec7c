// Turning per-frame measurements into the typed observations experiments
// report. Shared by experiments; pure functions of a BenchRun.
#pragma once
#include "bench_run.h"
#include "experiment.h"

#include <string>
#include <vector>

namespace xdplab {

// The bench most of catalog A uses: one bpf_redirect_map call through
// tx_array[0] -> o0 ("target", peer with XDP) carrying the entry program,
// the ingress program attached in `mode`.
BenchPlan single_redirect(XdpMode mode);

// 0 for success (ret >= 0), else the errno's symbolic name ("ENOENT"): names
// read better in a report than numbers, and do not depend on the architecture.
json errno_of(int ret);

// A file descriptor a procedure made (a map, a program), closed with the object.
class OwnedFd {
public:
	explicit OwnedFd(int fd) : fd_(fd) {}
	~OwnedFd();
	OwnedFd(const OwnedFd &) = delete;
	OwnedFd &operator=(const OwnedFd &) = delete;
	int get() const { return fd_; }

private:
	int fd_;
};

// The value every frame showed, or {"varies": [distinct values]} when frames
// disagree, or null when no frame showed anything.
json uniform(const std::vector<json> &per_frame);

// uniform() over one field of every event of a stage.
template <class F> json uniform_over(const BenchRun &run, uint32_t stage, F field)
{
	std::vector<json> values;
	for (const auto &e : run.stage(stage))
		values.push_back(field(e));
	return uniform(values);
}

// Outputs whose devmap entry program ran, from the stage-2 events'
// egress_ifindex, by their names in the plan; sorted, unique.
json devmap_progs_ran(const BenchRun &run);

// The first kernel tracepoint that reports a failure (err != 0, or an
// xdp_exception): {"event": name, "err": code}, or null.
json drop_tracepoint(const BenchRun &run);

} // namespace xdplab
