// egress-after-ingress
//
// Claim (seed 000, observed on 5.8): the program attached to a DEVMAP entry
// runs only after the whole ingress program has returned.
//
// Topology: the bench (harness/plan.h), one output whose receiving peer runs
// xdp_peer so native redirects are delivered.
//
// Procedure: the ingress program records stage 1, calls bpf_redirect_map once
// (tx_array[0] -> o0, entry program xdp_egress), records stage 3, then the
// action it returns (stage 6) and returns it. The devmap program records
// stage 2.
//
// Observations: the order of each frame's PoC stages (1, 3, 2) in the ring
// buffer (the order in which they were reserved, across CPUs), whether every
// frame's stage 2 follows its stage 6 (the return) in that order and in
// time, and how many frames had all of them. `egress_deferred_past_other_frames`
// says whether some other frame's ingress ran in between (flush-time
// execution, 5.14+); it depends on batching, so no expectation pins it.
//
// Expectation: experiments/egress-after-ingress.json.
#include "harness/observe.h"

namespace xdplab {

struct EgressAfterIngressParams {
	XdpMode mode;
};

class EgressAfterIngress : public DeclaredExperiment<EgressAfterIngressParams> {
public:
	EgressAfterIngress()
		: DeclaredExperiment("egress-after-ingress",
				     {{"native", {.mode = XdpMode::Native}}, {"generic", {.mode = XdpMode::Generic}}},
				     {"stage_order", "egress_after_ingress_return", "frames_with_all_stages",
				      "egress_deferred_past_other_frames"})
	{
	}

	Plan plan(const EgressAfterIngressParams &p) const override { return single_redirect(p.mode); }

	Measurement observe(const EgressAfterIngressParams &, const BenchRun &run) const override
	{
		struct Seen {
			json order = json::array();
			std::optional<size_t> pos1, pos2, pos3, pos6;
			uint64_t ts2 = 0, ts6 = 0;
		};
		std::map<uint32_t, Seen> by_frame;
		for (size_t i = 0; i < run.events.size(); ++i) {
			const auto &e = run.events[i];
			Seen &s = by_frame[e.seq];
			switch (e.stage) {
			case XDPLAB_STAGE_INGRESS_ENTRY: s.pos1 = i; s.order.push_back(1); break;
			case XDPLAB_STAGE_AFTER_CALL1: s.pos3 = i; s.order.push_back(3); break;
			case XDPLAB_STAGE_EGRESS: s.pos2 = i; s.ts2 = e.ts_ns; s.order.push_back(2); break;
			case XDPLAB_STAGE_INGRESS_EXIT: s.pos6 = i; s.ts6 = e.ts_ns; break;
			default: break;
			}
		}
		std::vector<json> orders;
		bool all_after = !by_frame.empty(), deferred = false;
		int complete = 0;
		for (const auto &[seq, s] : by_frame) {
			orders.push_back(s.order);
			bool has_all = s.pos1 && s.pos2 && s.pos3 && s.pos6;
			complete += has_all;
			all_after = all_after && has_all && *s.pos2 > *s.pos6 && s.ts2 >= s.ts6;
			if (has_all)
				for (size_t p = *s.pos6 + 1; p < *s.pos2; ++p)
					deferred |= run.events[p].seq != seq &&
						    run.events[p].stage == XDPLAB_STAGE_INGRESS_ENTRY;
		}

		Measurement m;
		m.observations["stage_order"] = uniform(orders);
		m.observations["egress_after_ingress_return"] = all_after;
		m.observations["frames_with_all_stages"] = complete;
		m.observations["egress_deferred_past_other_frames"] = deferred;
		return m;
	}
};

XDPLAB_EXPERIMENT(EgressAfterIngress);

} // namespace xdplab
