// veth-peer-needs-xdp
//
// Claim (seed 003, xdp-tutorial packet03): a native redirect into a veth is
// delivered only if the receiving peer has an XDP program. History: or GRO
// on the peer (5.13+); the drop shows as xdp:xdp_devmap_xmit err=-6 before
// 6.3 and as a redirect error err=-95 from 6.3 (NDO_XMIT feature check);
// generic mode never needs a peer program.
//
// Topology: the staged bench with one egress link o0; its receiving peer r0
// is in the state the subtest names: none, xdp (xdp_peer attached), gro
// (ethtool -K gro on). Subtest generic attaches the ingress program in
// generic mode with the peer in state none.
//
// Procedure: tx_array[0] -> o0 without an entry program, so nothing but the
// veth's own rules decides delivery; send the frames.
//
// Observations: tagged frames delivered at r0, and the kernel's first
// failure tracepoint (event name and err).
//
// Expectation: experiments/veth-peer-needs-xdp.json.
#include "harness/observe.h"

namespace xdplab {

class VethPeerNeedsXdp : public Experiment {
public:
	std::string id() const override { return "veth-peer-needs-xdp"; }
	std::vector<std::string> subtests() const override { return {"none", "xdp", "gro", "generic"}; }

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		PeerState peer = subtest == "xdp" ? PeerState::Xdp : subtest == "gro" ? PeerState::Gro : PeerState::None;
		StagedSetup setup = single_redirect_setup(subtest);
		setup.outputs = {peer};
		setup.entries[0].egress_prog = false; // only the veth's own rules decide delivery
		StagedRun run = run_staged_or_skip(lab, setup);

		Measurement m;
		m.observations["peer_state"] = subtest == "generic" ? "none" : to_string(peer);
		m.observations["delivered"] = run.delivered().at("o0");
		m.observations["drop_tracepoint"] = drop_tracepoint(run);
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(VethPeerNeedsXdp);

} // namespace xdplab
