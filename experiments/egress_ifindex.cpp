// egress-ifindex
//
// Claim (seed 000, observed on 5.8): in the devmap program `ingress_ifindex`
// is not changed to the egress device. History: the real rx device on
// 5.8-5.13; uninitialised stack memory on 5.14-6.11 (fixed in 6.12 and some
// stable branches); `egress_ifindex` is the devmap target throughout.
//
// Topology: the bench. The ingress link and the egress link are different
// devices with different ifindexes (unlike the seed's PoC, where dev=2 could
// not tell them apart).
//
// Procedure: redirect through tx_array[0] -> o0 with xdp_egress; the devmap
// program records ctx->ingress_ifindex, ctx->egress_ifindex and
// ctx->rx_queue_index.
//
// Observations: whether every frame's ingress_ifindex is the ingress link's,
// whether every frame's egress_ifindex is o0's; the rx_queue_index seen.
//
// Expectation: experiments/egress-ifindex.json.
#include "harness/observe.h"

namespace xdplab {

struct EgressIfindexParams {
	XdpMode mode;
};

class EgressIfindex : public DeclaredExperiment<EgressIfindexParams> {
public:
	EgressIfindex()
		: DeclaredExperiment("egress-ifindex",
				     {{"native", {.mode = XdpMode::Native}}, {"generic", {.mode = XdpMode::Generic}}},
				     {"ingress_ifindex_is_rx", "egress_ifindex_is_tx", "egress_prog_rx_queue_index"})
	{
	}

	Plan plan(const EgressIfindexParams &p) const override { return single_redirect(p.mode); }

	Measurement observe(const EgressIfindexParams &, const BenchRun &run) const override
	{
		auto egress = run.stage(XDPLAB_STAGE_EGRESS);
		bool rx = !egress.empty(), tx = !egress.empty();
		for (const auto &e : egress) {
			rx = rx && static_cast<int>(e.ingress_ifindex) == run.ifindex.at("in");
			tx = tx && static_cast<int>(e.egress_ifindex) == run.ifindex.at("o0");
		}
		Measurement m;
		m.observations["ingress_ifindex_is_rx"] = rx;
		m.observations["egress_ifindex_is_tx"] = tx;
		m.observations["egress_prog_rx_queue_index"] =
			uniform_over(run, XDPLAB_STAGE_EGRESS, [](const xdplab_event &e) { return e.rx_queue_index; });
		m.evidence["ingress_ifindex_seen_by_devmap_prog"] =
			uniform_over(run, XDPLAB_STAGE_EGRESS, [](const xdplab_event &e) { return e.ingress_ifindex; });
		return m;
	}
};

XDPLAB_EXPERIMENT(EgressIfindex);

} // namespace xdplab
