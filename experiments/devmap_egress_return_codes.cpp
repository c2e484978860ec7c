// devmap-egress-return-codes
//
// Claim (catalog B; no seed document states the verdicts, map_devmap.rst only
// says entry programs "are run after XDP_REDIRECT and have access to both Rx
// device and Tx device"): PASS transmits, DROP drops, every other verdict
// drops with xdp:xdp_exception. History (kernel-history row 11): 5.8-5.13
// dev_map_run_prog() runs the program at enqueue and a drop still counts as
// a successful redirect; 5.14+ (cb261b594b41) dev_map_bpf_prog_run() runs it
// at flush from bq_xmit_all(), so drops show as `drops` in
// xdp:xdp_devmap_xmit; generic mode (5.15+, 2ea5eabaf04a) uses
// dev_map_bpf_prog_run_skb(). XDP_TX and XDP_REDIRECT are not supported from
// an entry program: they take the default branch, bpf_warn_invalid_xdp_action()
// and xdp:xdp_exception, like any unknown value.
//
// Topology: the bench with one output ("target", peer with XDP), one call
// tx_array[0] -> o0 carrying the entry program; the ingress program attached
// in native or generic mode.
//
// Procedure: the entry program returns the subtest's verdict (PASS, DROP,
// ABORTED, TX, REDIRECT, or 42) for every tagged frame; the frames are sent
// and the kernel log (/dev/kmsg) is read afterwards, whole: an experiment has
// no step before the traffic, so the warning is picked out by attribution.
//
// Observations: the XDP tracepoints of this subtest (per-frame events
// counted; xdp:xdp_devmap_xmit, which is per flush, summed), the
// xdp:xdp_exception's action and device, and which warning the kernel
// logged for a verdict it does not support: "splat" (WARN_ONCE with
// "WARNING:" and a call trace), "message" (pr_warn_once) or "none". The
// warning is printed once per boot for the whole kernel (one call site in
// bpf_warn_invalid_xdp_action()), so only the first such verdict after boot
// shows it. It is attributed to this subtest by the program id the kernel
// prints (5.17+, c8064e5b4ada) or, where it prints none, by the value it
// names and the time of this subtest's tracepoints (the "local" trace clock
// and printk timestamps both come from sched_clock, well within the margin).
//
// Expectation: experiments/devmap-egress-return-codes.json.
#include "harness/observe.h"
#include "harness/kernel_log.h"
#include "harness/trace_parse.h"


#include <algorithm>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace xdplab {

namespace {

struct ActionWarning {
	std::string kind = "none"; // "splat", "message", "none"
	std::vector<std::string> lines;
};

// The warning bpf_warn_invalid_xdp_action() printed for this subtest:
//   5.8-5.16:  WARN_ONCE "Illegal XDP return value 42, expect packet loss!"
//              followed by "WARNING: CPU: ..." and a call trace;
//   5.10.94+, 5.17+ (2cbad989033b): pr_warn_once, same text, no splat;
//   5.17+ (c8064e5b4ada): "... value 42 on prog xdp_egress (id 7) dev N/A, ...".
// Values up to XDP_REDIRECT read "Driver unsupported" instead of "Illegal".
ActionWarning action_warning(const std::vector<KmsgRecord> &log, uint32_t verdict, unsigned entry_prog_id,
			     const std::vector<TraceRecord> &tracepoints)
{
	static const std::regex re(
		R"((?:Illegal|Driver unsupported) XDP return value (\d+)(?: on prog (\S*) \(id (\d+)\) dev ([^,]*))?, expect packet loss!)");
	// Without a program id, only the time tells whose warning it is: the
	// warning is printed right before this subtest's xdp:xdp_exception.
	double from = 0, until = -1;
	if (!tracepoints.empty()) {
		auto [lo, hi] = std::minmax_element(tracepoints.begin(), tracepoints.end(),
						    [](const auto &a, const auto &b) { return a.timestamp < b.timestamp; });
		from = lo->timestamp - 1.0;
		until = hi->timestamp + 1.0;
	}
	ActionWarning w;
	for (size_t i = 0; i < log.size(); ++i) {
		std::smatch m;
		if (!std::regex_search(log[i].text, m, re))
			continue;
		if (std::strtoul(m[1].str().c_str(), nullptr, 10) != verdict)
			continue;
		if (m[3].matched) {
			if (std::strtoul(m[3].str().c_str(), nullptr, 10) != entry_prog_id)
				continue;
		} else {
			double t = log[i].usec / 1e6;
			if (t < from || t > until)
				continue;
		}
		w.kind = "message";
		w.lines.push_back(log[i].text);
		// A WARN_ONCE prints its "WARNING: CPU: ..." line right after the message.
		for (size_t j = i + 1; j < log.size() && j <= i + 3; ++j) {
			if (log[j].text.rfind("WARNING:", 0) == 0) {
				w.kind = "splat";
				w.lines.push_back(log[j].text);
				break;
			}
		}
		break;
	}
	return w;
}

} // namespace

struct EntryVerdictParams {
	XdpMode mode;
	uint32_t verdict;
};

class DevmapEgressReturnCodes : public DeclaredExperiment<EntryVerdictParams> {
public:
	static constexpr uint32_t kInvalid = 42;

	DevmapEgressReturnCodes()
		: DeclaredExperiment("devmap-egress-return-codes",
				     // invalid_native first: on a fresh boot it then most likely
				     // gets the one warning ("Illegal ... 42") before tx/redirect
				     // take it as "Driver unsupported".
				     {{"invalid_native", {.mode = XdpMode::Native, .verdict = kInvalid}},
				      {"pass_native", {.mode = XdpMode::Native, .verdict = 2}},
				      {"drop_native", {.mode = XdpMode::Native, .verdict = 1}},
				      {"aborted_native", {.mode = XdpMode::Native, .verdict = 0}},
				      {"tx_native", {.mode = XdpMode::Native, .verdict = 3}},
				      {"redirect_native", {.mode = XdpMode::Native, .verdict = 4}},
				      {"pass_generic", {.mode = XdpMode::Generic, .verdict = 2}},
				      {"drop_generic", {.mode = XdpMode::Generic, .verdict = 1}},
				      {"aborted_generic", {.mode = XdpMode::Generic, .verdict = 0}},
				      {"tx_generic", {.mode = XdpMode::Generic, .verdict = 3}},
				      {"redirect_generic", {.mode = XdpMode::Generic, .verdict = 4}},
				      {"invalid_generic", {.mode = XdpMode::Generic, .verdict = kInvalid}}},
				     {"tracepoints", "devmap_xmit", "exception", "invalid_action_warning"})
	{
		provokes_kernel_warning("bpf_warn_invalid_xdp_action",
					"5.8-5.16 (and 5.10 before 5.10.94) print the unsupported-verdict warning "
					"as a WARN_ONCE splat; observed here as invalid_action_warning");
	}

	Plan plan(const EntryVerdictParams &p) const override
	{
		BenchPlan b = single_redirect(p.mode);
		b.entry_verdict = p.verdict;
		return b;
	}

	Measurement observe(const EntryVerdictParams &p, const BenchRun &run) const override
	{
		Measurement m;
		// Per-frame events are counted; xdp:xdp_devmap_xmit is one line per
		// flush, so its line count depends on batching: its sums are kept.
		json counts = json::object();
		std::vector<json> exceptions;
		long sent = 0, drops = 0;
		std::vector<json> errs;
		for (const auto &t : run.tracepoints) {
			auto f = trace_fields(t.body);
			if (t.event == "xdp_devmap_xmit") {
				sent += std::strtol(f["sent"].c_str(), nullptr, 0);
				drops += std::strtol(f["drops"].c_str(), nullptr, 0);
				errs.push_back(static_cast<int>(std::strtol(f["err"].c_str(), nullptr, 0)));
				continue;
			}
			counts[t.event] = counts.value(t.event, 0) + 1;
			if (t.event == "xdp_exception") {
				int ifx = static_cast<int>(std::strtol(f["ifindex"].c_str(), nullptr, 0));
				std::string dev = run.name_of_ifindex(ifx);
				exceptions.push_back(
					{{"action", f["action"]}, {"dev", dev.empty() ? "ifindex " + f["ifindex"] : dev}});
			}
		}
		m.observations["tracepoints"] = counts;
		m.observations["devmap_xmit"] =
			errs.empty() ? json(nullptr) : json{{"sent", sent}, {"drops", drops}, {"err", uniform(errs)}};
		m.observations["exception"] = uniform(exceptions);

		ActionWarning w = action_warning(read_kernel_log(), p.verdict, run.prog_ids.entry, run.tracepoints);
		m.observations["invalid_action_warning"] = w.kind;
		m.evidence["kernel_log"] = w.lines;
		m.evidence["entry_prog_id"] = run.prog_ids.entry;
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapEgressReturnCodes);

} // namespace xdplab
