// Runs a BenchPlan (plan.h): builds the bench, loads the program families it
// needs, sets the devmap entries, attaches, sends the tagged frames, collects
// until every frame is accounted for, and returns what was measured.
// Everything is torn down on return or unwinding.
#pragma once
#include "accounting.h"
#include "plan.h"
#include "trace_parse.h"
#include "traffic.h"

#include <map>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

struct SubtestContext;

struct BenchRun {
	BenchPlan plan;
	int packets_sent = 0;
	std::map<std::string, int> ifindex;                         // link role -> ifindex
	std::map<std::string, std::string> receiver_link;           // receiver name -> link role it sits behind
	std::vector<xdplab_event> events;                           // ring buffer, in order
	std::map<std::string, std::vector<CapturedFrame>> received; // receiver name -> tagged frames
	std::vector<TraceRecord> tracepoints;                       // this subtest's XDP tracepoints
	std::vector<std::string> stage_lines;                       // this subtest's bpf_printk lines
	bool stage_lines_available = false;
	std::optional<AttachFailure> attach_failure;
	ProgIds prog_ids;
	json xdp_features = json::object();                         // output name -> features of its egress link
	Accounting accounting;
	std::map<std::string, long> phase_ms;                       // where the subtest's time went
	// What could make the evidence incomplete; any of it makes the subtest `error`.
	unsigned long long ringbuf_drops = 0, socket_drops = 0, trace_lost = 0;

	std::vector<xdplab_event> stage(uint32_t s) const;
	int delivered(const std::string &receiver) const;
	// The output (or "ingress") whose egress link has this ifindex, "" when none.
	std::string name_of_ifindex(int ifindex) const;
	int tracepoint_count(const std::string &event) const;
};

// The observations the engine adds to every bench subtest: `delivered`
// (tagged frames per receiver) and `frames` (frames that reached each stage).
std::vector<std::string> bench_observation_names();
json bench_observations(const BenchRun &run);
// Why the evidence of a run cannot be trusted, or "" when it can.
std::string evidence_problem(const BenchRun &run);
json bench_evidence(const BenchRun &run);

BenchRun run_bench(const BenchPlan &plan, SubtestContext &ctx);
// The commands and steps that rebuild the bench by hand (--explain).
void explain_bench(std::ostream &out, const BenchPlan &plan, const SubtestContext &ctx);

} // namespace xdplab
