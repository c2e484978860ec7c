// Runs cost cases on the running kernel: one topology for the whole bench
// (one namespace: the ingress veth pair and four output pairs), one BPF
// object per case with its sinks attached and its devmap filled, live-frame
// injection, and the check that every frame reached its sink.
#pragma once
#include "../interruption.h"
#include "cases.h"
#include "figures.h"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {
class Topology;
}

namespace xdplab::cost {

struct CaseOutcome {
	CostCase c;
	std::string status = "error"; // "measured", "skipped", "error"
	std::string reason;
	std::vector<Sample> samples;
	std::optional<Figures> figures;
	uint64_t injected = 0, per_repetition = 0;
	uint64_t delivered = 0, expected_delivered = 0; // tagged frames counted by the sinks
	std::string cpu_accounting;
	int cpu = -1;
};

// The bench's veths: "in" (where frames are injected) with its peer "inj",
// outputs o0..o3 with peers r0..r3 (the sinks), all in one namespace.
class CostTopology {
public:
	CostTopology(const std::string &run_id, uint32_t run_tag);
	~CostTopology();
	const std::string &ns() const { return ns_; }
	std::string link(const std::string &role) const; // "in", "inj", "o0", "r0", ...
	int ifindex(const std::string &role) const;
	std::vector<std::string> teardown() noexcept;

private:
	std::unique_ptr<Topology> topo_;
	std::string run_id_, ns_;
	uint32_t run_tag_;
};

// The tagged frames the sinks counted (the per-CPU sink_frames map), read
// until `expected` or for up to 2 s: when the machine is in its slow state the
// peers' NAPI may run late in the other CPU's ksoftirqd, and frames still on
// their way are not lost. Throws when the map cannot be read.
uint64_t wait_for_sinks(int sink_frames_fd, uint64_t expected);

struct CostRunOptions {
	int repetitions = 7;
	int cpu = -1; // where the injecting thread is pinned
	Interruption interruption;
};

class CostRunner {
public:
	CostRunner(CostTopology &topo, uint32_t run_tag, CostRunOptions options)
		: topo_(topo), run_tag_(run_tag), options_(std::move(options))
	{
	}
	// nullopt when live frames work here, else why not (every case is then skipped).
	std::optional<std::string> probe();
	// case_id: unique per case within the run (in the frames' tag).
	CaseOutcome run(const CostCase &c, uint32_t case_id);

private:
	CostTopology &topo_;
	uint32_t run_tag_;
	CostRunOptions options_;
};

} // namespace xdplab::cost
