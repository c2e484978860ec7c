// redirect-map-return-codes
//
// Claim (seed 000): bpf_redirect_map returns XDP_REDIRECT (4) on a hit and, on
// a miss, the low two bits of `flags` (0 = XDP_ABORTED). What happens to the
// frame when the program returns that value.
//
// Topology: the bench with one output ("target"); the engine also captures
// on the ingress link's own stack ("ingress_stack", XDP_PASS) and on the
// sender ("sender": XDP_TX sends the frame back, and the sender link runs
// xdp_peer so a native XDP_TX into it is delivered).
//
// Procedure: one call, returning the helper's value. Subtests miss_flags_N
// use an empty DEVMAP slot (key 7) with flags N = 0..3; hit uses key 0 -> o0.
// No entry program: only the helper's value decides.
//
// Observations: the helper's return value, where the frames went (one of
// redirected / passed_to_stack / sent_back / dropped), and whether
// xdp:xdp_exception fired.
//
// Expectation: experiments/redirect-map-return-codes.json.
#include "harness/observe.h"

namespace xdplab {

struct ReturnCodeParams {
	uint32_t key;
	uint64_t flags;
};

class RedirectMapReturnCodes : public DeclaredExperiment<ReturnCodeParams> {
public:
	static constexpr uint32_t kEmptySlot = 7;

	RedirectMapReturnCodes()
		: DeclaredExperiment("redirect-map-return-codes",
				     {{"miss_flags_0", {.key = kEmptySlot, .flags = 0}},
				      {"miss_flags_1", {.key = kEmptySlot, .flags = 1}},
				      {"miss_flags_2", {.key = kEmptySlot, .flags = 2}},
				      {"miss_flags_3", {.key = kEmptySlot, .flags = 3}},
				      {"hit", {.key = 0, .flags = 0}}},
				     {"ret", "fate", "xdp_exception"})
	{
	}

	Plan plan(const ReturnCodeParams &p) const override
	{
		return BenchPlan{
			.outputs = {{"target"}},
			.calls = {{Devmap::Array, p.key, p.flags}},
			.entries = {{Devmap::Array, 0, "o0"}},
		};
	}

	Measurement observe(const ReturnCodeParams &, const BenchRun &run) const override
	{
		std::string fate;
		for (const auto &[receiver, what] : {std::pair{"target", "redirected"},
						     {"ingress_stack", "passed_to_stack"},
						     {"sender", "sent_back"}})
			if (run.delivered(receiver) > 0)
				fate += (fate.empty() ? "" : "+") + std::string(what);
		Measurement m;
		m.observations["ret"] =
			uniform_over(run, XDPLAB_STAGE_AFTER_CALL1, [](const xdplab_event &e) { return e.redirect_ret; });
		m.observations["fate"] = fate.empty() ? "dropped" : fate;
		m.observations["xdp_exception"] = run.tracepoint_count("xdp_exception") > 0;
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapReturnCodes);

} // namespace xdplab
