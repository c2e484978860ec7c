// devmap-prog-generic-mode
//
// Claim (seed 000, on 5.8): "eBPF program at egress can't be attached to
// DEVMAP in SKB mode". History: 5.8-5.14 generic_xdp_install() refuses any
// SKB-mode program that references a DEVMAP with 8-byte values (-EINVAL, no
// extack); 5.15+ supports devmap programs in generic mode.
//
// Topology: the bench, one output; the ingress program is attached in
// generic (SKB) mode.
//
// Procedure: tx_array[0] -> o0 with xdp_egress (so the devmap has 8-byte
// values); attach xdp_ingress with XDP_FLAGS_SKB_MODE and, if that works,
// send the frames. A refused attach is the observation: nothing is sent.
//
// Observations: the attach errno (0 on success) and the kernel's message, and
// whether the devmap program ran.
//
// Expectation: experiments/devmap-prog-generic-mode.json.
#include "harness/observe.h"

namespace xdplab {

struct GenericModeParams {};

class DevmapProgGenericMode : public DeclaredExperiment<GenericModeParams> {
public:
	DevmapProgGenericMode()
		: DeclaredExperiment("devmap-prog-generic-mode", {{"generic", {}}},
				     {"attach_errno", "attach_message", "devmap_prog_ran"})
	{
	}

	Plan plan(const GenericModeParams &) const override
	{
		BenchPlan b = single_redirect(XdpMode::Generic);
		b.attach_may_fail = true; // the refusal is what this experiment measures
		return b;
	}

	Measurement observe(const GenericModeParams &, const BenchRun &run) const override
	{
		Measurement m;
		m.observations["attach_errno"] = run.attach_failure ? run.attach_failure->err : 0;
		m.observations["attach_message"] = run.attach_failure ? run.attach_failure->message : "";
		m.observations["devmap_prog_ran"] = !run.stage(XDPLAB_STAGE_EGRESS).empty();
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapProgGenericMode);

} // namespace xdplab
