// veth-peer-needs-xdp
//
// Claim (seed 003, xdp-tutorial packet03): a native redirect into a veth is
// delivered only if the receiving peer has an XDP program; "the xdpgeneric
// mode may be used without this limitation". History: or GRO on the peer
// (5.13+); from 6.3 the veth advertises NETDEV_XDP_ACT_NDO_XMIT only then,
// and the drop shows as a redirect error err=-95 instead of
// xdp:xdp_devmap_xmit err=-6.
//
// Topology: the bench with one output o0 ("target"); its receiving peer r0
// is in the state the subtest names: none, xdp (xdp_peer attached), gro
// (ethtool -K gro on). Subtest generic attaches the ingress program in
// generic mode with the peer in state none.
//
// Procedure: tx_array[0] -> o0 without an entry program, so nothing but the
// veth's own rules decides delivery (and 4-byte devmap values, so generic
// mode attaches on every kernel); send the frames.
//
// Observations: the XDP features o0 advertises (6.3+; null before, where the
// kernel has no netdev family), and the kernel's first failure tracepoint
// (tagged frames per receiver come from the engine's `delivered`).
//
// Expectation: experiments/veth-peer-needs-xdp.json.
#include "harness/observe.h"

namespace xdplab {

struct VethPeerParams {
	XdpMode mode;
	Peer peer;
};

class VethPeerNeedsXdp : public DeclaredExperiment<VethPeerParams> {
public:
	VethPeerNeedsXdp()
		: DeclaredExperiment("veth-peer-needs-xdp",
				     {{"none", {.mode = XdpMode::Native, .peer = Peer::None}},
				      {"xdp", {.mode = XdpMode::Native, .peer = Peer::Xdp}},
				      {"gro", {.mode = XdpMode::Native, .peer = Peer::Gro}},
				      {"generic", {.mode = XdpMode::Generic, .peer = Peer::None}}},
				     {"target_xdp_features", "drop_tracepoint"})
	{
	}

	Plan plan(const VethPeerParams &p) const override
	{
		return BenchPlan{
			.mode = p.mode,
			.outputs = {{"target", p.peer}},
			.calls = {{Devmap::Array, 0}},
			.entries = {{Devmap::Array, 0, "o0"}},
		};
	}

	Measurement observe(const VethPeerParams &, const BenchRun &run) const override
	{
		Measurement m;
		m.observations["target_xdp_features"] = run.xdp_features.value("target", json(nullptr));
		m.observations["drop_tracepoint"] = drop_tracepoint(run);
		return m;
	}
};

XDPLAB_EXPERIMENT(VethPeerNeedsXdp);

} // namespace xdplab
