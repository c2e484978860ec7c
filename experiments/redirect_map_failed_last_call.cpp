// redirect-map-failed-last-call
//
// Claim (seed 000, observed on 5.8): when the second bpf_redirect_map() call
// hits a missing key it returns the low two bits of `flags` (0 = XDP_ABORTED)
// and the first call's target is not used.
//
// Question (kernel-history item 4, from code reading only): the failed call
// clears the map but not ri->tgt_index. If the program ignores the failure
// and returns XDP_REDIRECT anyway, the kernel takes it as a plain ifindex
// redirect to the *first call's key*. Where does the frame go?
//
// Topology: the bench with two outputs. The first call's key is the ifindex
// of o1 ("key_as_ifindex"), while the DEVMAP_HASH entry under that key points
// at o0 ("first_target"). The engine watches the ingress link's stack and the
// sender too, so no destination goes unseen.
//
// Procedure: call 1 hits (key = ifindex of o1 -> o0), call 2 misses (key
// 0xdead, flags 0). Subtest return_helper_value returns call 2's value;
// return_xdp_redirect returns XDP_REDIRECT regardless (native, and generic in
// return_xdp_redirect_generic). In native mode the entry carries xdp_egress to
// show whether the first target's devmap program ran; the generic subtest
// leaves it out, so that it also runs before 5.15 (a generic-mode program
// referencing a devmap with programs is refused there), and reports
// devmap_progs_ran as null (not measured).
//
// Observations: both return values, which devmap programs ran, and the
// kernel's drop tracepoint if any.
//
// Expectation: experiments/redirect-map-failed-last-call.json.
#include "harness/observe.h"

namespace xdplab {

struct FailedLastCallParams {
	XdpMode mode;
	Return ret;
};

class RedirectMapFailedLastCall : public DeclaredExperiment<FailedLastCallParams> {
public:
	static constexpr uint32_t kMissingKey = 0xdead;

	RedirectMapFailedLastCall()
		: DeclaredExperiment(
			  "redirect-map-failed-last-call",
			  {{"return_helper_value", {.mode = XdpMode::Native, .ret = Return::HelperValue}},
			   {"return_xdp_redirect", {.mode = XdpMode::Native, .ret = Return::Redirect}},
			   {"return_xdp_redirect_generic", {.mode = XdpMode::Generic, .ret = Return::Redirect}}},
			  {"first_call_ret", "second_call_ret", "devmap_progs_ran", "drop_tracepoint"})
	{
	}

	Plan plan(const FailedLastCallParams &p) const override
	{
		Key first = Key::ifindex("o1");
		return BenchPlan{
			.mode = p.mode,
			.outputs = {{"first_target"}, {"key_as_ifindex"}},
			.calls = {{Devmap::Hash, first}, {Devmap::Hash, kMissingKey}},
			.ret = p.ret,
			.entries = {{Devmap::Hash, first, "o0", p.mode == XdpMode::Native}},
		};
	}

	Measurement observe(const FailedLastCallParams &p, const BenchRun &run) const override
	{
		auto ret = [](const xdplab_event &e) { return e.redirect_ret; };
		Measurement m;
		m.observations["first_call_ret"] = uniform_over(run, XDPLAB_STAGE_AFTER_CALL1, ret);
		m.observations["second_call_ret"] = uniform_over(run, XDPLAB_STAGE_AFTER_CALL2, ret);
		m.observations["devmap_progs_ran"] = p.mode == XdpMode::Native ? devmap_progs_ran(run) : json(nullptr);
		m.observations["drop_tracepoint"] = drop_tracepoint(run);
		m.evidence["first_call_key"] = run.ifindex.at("o1");
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapFailedLastCall);

} // namespace xdplab
