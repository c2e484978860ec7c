// What one subtest of a case has while it runs: its network, loaded objects,
// attachments, receivers and everything collected so far. The steps
// (case_steps.h) act on it; the runner (case_run.cpp) builds and tears it down.
#pragma once
#include "../accounting.h"
#include "../attribution.h"
#include "../drop_watch.h"
#include "../event_stream.h"
#include "../formats/pcapng.h"
#include "../traffic.h"
#include "../tc_attach.h"
#include "../xdp_attach.h"
#include "case_object.h"
#include "case_spec.h"
#include "case_topology.h"

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace xdplab {

struct SubtestContext;

// Everything observed during the subtest, in arrival order.
struct Collected {
	std::vector<xdplab_event> events;                           // ring buffer (instrumented objects)
	std::map<std::string, std::vector<CapturedFrame>> received; // receiver -> tagged frames
	std::vector<TraceRecord> tracepoints;                       // the subtest's XDP tracepoints
	std::vector<std::string> stage_lines;                       // its bpf_printk lines
	std::vector<DropRecord> drops;                              // kfree_skb on its links, its programs' verdicts
	unsigned long long socket_drops = 0, trace_lost = 0;
};

class CaseLab {
public:
	CaseLab(const CaseSpec &spec, SubtestContext &ctx, const CaseNetwork &net);

	const CaseSpec &spec;
	SubtestContext &ctx;
	const CaseNetwork &net;
	EventStream events;
	std::map<std::string, std::unique_ptr<CaseObject>> objects;
	std::vector<std::unique_ptr<XdpAttachment>> attachments;
	std::vector<std::unique_ptr<TcAttachment>> tc_attachments;
	Collected got;
	json evidence = json::object(); // attach, load, map_updates, steps, ...
	uint32_t next_seq = 0;          // tagged frames sent so far have seqs 0..next_seq-1
	// Expected refusals (may_fail) and what they stop: a network step (frames,
	// ping, tcp) needs every attachment; a step on a program or map needs its object.
	std::string network_blocked;        // why network steps do not run ("" when they do)
	std::set<std::string> failed_objects;
	// Tagged frames the frames steps sent, per link (kept only for --pcap).
	std::map<std::string, std::vector<RawFrame>> sent;

	// What symbols (ifindex(link), prog(obj/prog), ...) stand for now.
	SymbolValues symbols() const;
	int program_fd(const ProgramRef &p) const;
	unsigned program_id(const ProgramRef &p) const;

	// Receivers open, trace cursor taken: from here on, what arrives is the subtest's.
	void start_collecting();
	// Reads receivers, ring buffer and trace once; returns how much was new.
	size_t poll();
	// Receivers' socket drops and the trace buffer's losses so far (costly: at the end).
	void check_health();
	// The tagged frames so far, accounted for.
	Accounting account_tagged() const;
	// Polls until every tagged frame is accounted for (and, with
	// wait_for_copies or parked frames, nothing new came for --settle-ms),
	// or until --timeout-ms.
	void wait_accounted();
	// What was sent and what every receiver captured, one interface each.
	std::vector<PcapInterface> frames_for_pcap() const;
	// Flow evidence common to every flow: programs, tracepoints since `from`.
	Flow flow_base(size_t tracepoints_from) const;
	// Drop records (kfree_skb, program verdicts) of frames of one flow, since `from`.
	void add_drop_evidence(Flow &f, size_t drops_from, const std::function<std::optional<uint32_t>(const DropRecord &)> &id_of) const;
	std::vector<std::string> watched_programs; // "object/program" whose verdicts are watched
	std::vector<std::string> unwatched;        // programs that could not be watched, and why

private:
	// Which programs and links are the subtest's: fixed once everything is
	// loaded and attached (start_collecting), read on every poll.
	SubtestIdentity who_;
	Flow programs_;
	std::vector<std::pair<std::string, std::unique_ptr<FrameReceiver>>> receivers_;
	std::vector<std::unique_ptr<VerdictWatch>> verdict_watches_;
	std::set<unsigned> watched_ids_;
	size_t trace_cursor_ = 0, drop_cursor_ = 0;
	unsigned long long lost_before_ = 0;
	bool collecting_ = false;
};

} // namespace xdplab
