// xdp-stats-per-action
//
// Claim (seed 003, xdp-tutorial packet03, and the xdp_stats tool it uses):
// xdp_stats_map, a per-CPU array indexed by XDP action, counts the packets
// and bytes (data_end - data) of every frame by the action the program
// returned; xdp_stats sums it over the CPUs.
//
// Topology: [snd] snd ── in [dut].
//
// Procedure: attach xdp_action_rule of bpf/packet03.bpf.c to `in` (native or
// generic): for a harness frame it returns seq % 5 (ABORTED, DROP, PASS, TX,
// REDIRECT back out of `in`) and records it as the tutorial's
// xdp_stats_record_action() does; other frames pass uncounted. Send tagged
// frames of different lengths (seq 0..N-1, padded by 7 bytes per seq), wait
// until the map's sums stop changing, and sum the map over the CPUs.
//
// Observations: packets per action, and per action whether packets and bytes
// equal what was sent with that action's sequence numbers.
//
// Expectation: experiments/xdp-stats-per-action.json.
#include "packet03.h"

#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "harness/traffic.h"
#include "harness/xdp_attach.h"

#include "packet03.skel.h"

#include <chrono>
#include <thread>

namespace xdplab {

namespace {
constexpr unsigned kActions = XDP_REDIRECT + 1;
constexpr uint32_t kFrames = 50;
constexpr size_t kPadPerSeq = 7;
} // namespace

struct StatsParams {
	XdpMode mode;
};

class XdpStatsPerAction : public DeclaredExperiment<StatsParams> {
public:
	XdpStatsPerAction()
		: DeclaredExperiment("xdp-stats-per-action",
				     {{"native", {.mode = XdpMode::Native}}, {"generic", {.mode = XdpMode::Generic}}},
				     {"packets", "counts_match_sent"})
	{
	}

	Plan plan(const StatsParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"snd", "dut"};
		plan.veths = {{"snd", "snd", "dut", "in"}};
		plan.steps = {"# load build/bpf/packet03.bpf.o (rule_actions = 5); attach xdp_action_rule to <in> (" +
				      ip_keyword(p.mode) + ")",
			      "# send " + std::to_string(kFrames) + " tagged frames from <snd>, frame seq padded by " +
				      std::to_string(kPadPerSeq) + "*seq bytes; action = seq % 5",
			      "# read xdp_stats_map (summed over CPUs) until it stops changing; compare with what was "
			      "sent per action"};
		XdpMode mode = p.mode;
		plan.run = [mode](ProcedureContext &ctx) { return measure(ctx, mode); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, XdpMode mode)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		const std::string snd = ctx.netns("snd"), dut = ctx.netns("dut");
		const Mac src = p03::mac_of(snd, ctx.link("snd")), dst = p03::mac_of(dut, ctx.link("in"));
		BpfObject<packet03> obj("packet03", ctx.events(), ident,
					[](packet03 &s) { s.rodata->rule_actions = kActions; });
		auto att = XdpAttachment::attach(dut, ctx.link("in"), bpf_program__fd(obj->progs.xdp_action_rule), mode);
		const int map_fd = bpf_map__fd(obj->maps.xdp_stats_map);

		std::vector<p03::ActionCount> sent(kActions);
		FrameSender sender(snd, ctx.link("snd"));
		for (uint32_t seq = 0; seq < kFrames; ++seq) {
			auto f = build_frame({.src = src,
					      .dst = dst,
					      .src_ip = ipv4("198.18.4.1"),
					      .dst_ip = ipv4("198.18.4.2"),
					      .run_id = ctx.run_tag(),
					      .case_id = ctx.case_id(),
					      .seq = seq,
					      .payload_pad = kPadPerSeq * seq});
			sender.send(f);
			sent[seq % kActions].packets++;
			sent[seq % kActions].bytes += f.size();
		}

		// Until every frame is counted, or the sums stood still for half a second.
		auto total = [](const std::vector<p03::ActionCount> &s) {
			unsigned long long n = 0;
			for (const auto &a : s)
				n += a.packets;
			return n;
		};
		auto stats = p03::read_stats(map_fd);
		auto still_since = std::chrono::steady_clock::now();
		while (total(stats) < kFrames &&
		       std::chrono::steady_clock::now() - still_since < std::chrono::milliseconds(500)) {
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
			auto now = p03::read_stats(map_fd);
			if (total(now) != total(stats))
				still_since = std::chrono::steady_clock::now();
			stats = now;
		}

		Measurement m;
		json packets = json::object(), match = json::object();
		for (unsigned a = 0; a < kActions; ++a) {
			packets[p03::action_name(a)] = stats[a].packets;
			match[p03::action_name(a)] = stats[a].packets == sent[a].packets && stats[a].bytes == sent[a].bytes;
		}
		m.observations["packets"] = packets;
		m.observations["counts_match_sent"] = match;
		m.evidence = {{"stats", p03::stats_json(stats)},
			      {"sent", p03::stats_json(sent)},
			      {"possible_cpus", libbpf_num_possible_cpus()}};
		return m;
	}
};

XDPLAB_EXPERIMENT(XdpStatsPerAction);

} // namespace xdplab
