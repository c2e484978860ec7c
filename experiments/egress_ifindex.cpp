// egress-ifindex
//
// Claim (seed 000, observed on 5.8): in the devmap program `ingress_ifindex`
// is not changed to the egress device. History: the real rx device on
// 5.8-5.13; uninitialised stack memory on 5.14-6.11 (fixed in 6.12 and some
// stable branches); `egress_ifindex` is the devmap target throughout.
//
// Topology: the staged bench. The ingress link and the egress link are
// different devices with different ifindexes (unlike the seed's PoC, where
// dev=2 could not tell them apart).
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

class EgressIfindex : public Experiment {
public:
	std::string id() const override { return "egress-ifindex"; }
	std::vector<std::string> subtests() const override { return {"native", "generic"}; }

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		StagedRun run = run_staged_or_skip(lab, single_redirect_setup(subtest));

		auto egress = run.stage(XDPLAB_STAGE_EGRESS);
		if (egress.empty())
			throw std::runtime_error("the devmap program never ran: nothing to observe (see evidence)");
		bool rx = true, tx = true;
		std::vector<json> queue, seen_in;
		for (const auto &e : egress) {
			rx = rx && static_cast<int>(e.ingress_ifindex) == run.ifindex.at("in");
			tx = tx && static_cast<int>(e.egress_ifindex) == run.ifindex.at("o0");
			queue.push_back(e.rx_queue_index);
			seen_in.push_back(e.ingress_ifindex);
		}

		Measurement m;
		m.observations["ingress_ifindex_is_rx"] = rx;
		m.observations["egress_ifindex_is_tx"] = tx;
		m.observations["egress_prog_rx_queue_index"] = uniform(queue);
		m.evidence = run.evidence();
		m.evidence["ingress_ifindex_seen_by_devmap_prog"] = uniform(seen_in);
		return m;
	}
};

XDPLAB_EXPERIMENT(EgressIfindex);

} // namespace xdplab
