// devmap-prog-generic-mode
//
// Claim (seed 000, on 5.8): "eBPF program at egress can't be attached to
// DEVMAP in SKB mode". History: 5.8-5.14 generic_xdp_install() refuses any
// SKB-mode program that references a DEVMAP with 8-byte values (-EINVAL, no
// extack); 5.15+ supports devmap programs in generic mode.
//
// Topology: the staged bench; the ingress program is attached in generic
// (SKB) mode.
//
// Procedure: tx_array[0] -> o0 with xdp_egress; attach xdp_ingress with
// XDP_FLAGS_SKB_MODE and, if that works, send the frames.
//
// Observations: the attach errno (0 on success) and the kernel's message,
// whether the devmap program ran, and frames delivered at o0.
//
// Expectation: experiments/devmap-prog-generic-mode.json.
#include "harness/observe.h"

namespace xdplab {

class DevmapProgGenericMode : public Experiment {
public:
	std::string id() const override { return "devmap-prog-generic-mode"; }
	std::vector<std::string> subtests() const override { return {"generic"}; }

	Measurement run(const std::string &, Lab &lab) override
	{
		StagedSetup setup = single_redirect_setup("generic");
		setup.tolerate_attach_failure = true; // the refusal is what this experiment measures
		StagedRun run = run_staged(lab, setup);

		Measurement m;
		m.observations["attach_errno"] = run.attach_failure ? run.attach_failure->err : 0;
		m.observations["attach_message"] = run.attach_failure ? run.attach_failure->message : "";
		m.observations["devmap_prog_ran"] = !run.stage(XDPLAB_STAGE_EGRESS).empty();
		m.observations["delivered"] = run.delivered().count("o0") ? run.delivered().at("o0") : 0;
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapProgGenericMode);

} // namespace xdplab
