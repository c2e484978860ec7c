// The bench of catalog section A and C: a sender namespace, a "dut" namespace
// whose ingress link runs the staged ingress program, and egress links each
// leading to a receiver namespace of its own (so the ingress device and the
// egress devices are never the same link).
//
//   [snd] xl<run>-snd ── xl<run>-in [dut] xl<run>-o0 ── xl<run>-r0 [r0]
//                                         xl<run>-o1 ── xl<run>-r1 [r1] ...
//
// A procedure describes the bench (StagedSetup), run_staged() builds it, loads
// and attaches the programs, sends lab.packets tagged frames, and returns what
// was measured (StagedRun). Everything is torn down on return or unwinding.
#pragma once
#include "experiment.h"
#include "staged_programs.h"
#include "trace_parse.h"
#include "traffic.h"
#include "xdp_attach.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

// What the receiving veth peer of an egress link has, which decides whether a
// native redirect into the link is delivered (kernel-history row 7).
enum class PeerState { None, Xdp, Gro };
std::string to_string(PeerState s);

struct DevmapEntry {
	bool hash = false;       // tx_hash (DEVMAP_HASH) instead of tx_array (DEVMAP)
	uint32_t key = 0;
	std::string target;      // egress link role: "o0", "o1", ...
	bool egress_prog = true; // attach the stage-2 devmap program to the entry
};

struct StagedSetup {
	XdpMode mode = XdpMode::Native;               // how the ingress program is attached
	std::vector<PeerState> outputs{PeerState::Xdp, PeerState::Xdp}; // o0, o1, ...
	bool ingress_stack_receiver = false;          // capture XDP_PASS frames on the ingress link ("ingress_stack")
	bool sender_receiver = false;                 // XDP on the sender link + capture there ("sender", for XDP_TX)
	xdplab_config program{};                      // run_id and case_id are filled in by run_staged()
	std::vector<DevmapEntry> entries;
	// Runs once ifindexes are known and before the programs load, so a
	// procedure can derive keys from them (ifindex map: link role -> ifindex).
	std::function<void(const std::map<std::string, int> &ifindex, StagedSetup &)> configure;
	// Record an ingress attach failure in StagedRun instead of failing.
	bool tolerate_attach_failure = false;
	StagedSetup() { program.egress_verdict = 2 /* XDP_PASS */; program.printk = 1; }
};

struct StagedRun {
	int packets = 0;
	std::map<std::string, int> ifindex;                          // link role -> ifindex
	std::vector<xdplab_event> events;                            // ring buffer, in order
	std::map<std::string, std::vector<CapturedFrame>> received;  // receiver role -> tagged frames
	std::vector<TraceRecord> tracepoints;                        // this subtest's XDP tracepoints
	std::vector<std::string> stage_lines;                        // this run's bpf_printk lines
	bool stage_lines_available = false;
	std::optional<AttachFailure> attach_failure;
	unsigned ingress_prog_id = 0, egress_prog_id = 0, peer_prog_id = 0;
	unsigned long long ringbuf_drops = 0;
	XdpMode mode = XdpMode::Native;

	std::vector<xdplab_event> stage(uint32_t s) const;
	std::map<std::string, int> delivered() const;                // receiver role -> count
	std::string role_of_ifindex(int ifindex) const;              // "" when none
	int tracepoint_count(const std::string &event) const;
	// Evidence common to every staged experiment, for the results file.
	json evidence() const;
};

StagedRun run_staged(Lab &lab, StagedSetup setup);

} // namespace xdplab
