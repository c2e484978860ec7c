// egress-after-ingress
//
// Claim (seed 000, observed on 5.8): the program attached to a DEVMAP entry
// runs only after the whole ingress program has returned.
//
// Topology: the staged bench (harness/staged_lab.h), two egress links whose
// receiving peers run xdp_peer so native redirects are delivered.
//
// Procedure: the ingress program records stage 1, calls bpf_redirect_map once
// (tx_array[0] -> o0, entry program xdp_egress), records stage 3 and returns
// the helper's value. The devmap program records stage 2.
//
// Observations: the order of each frame's stages in the ring buffer (which is
// the order in which they were reserved, across CPUs), whether every frame's
// stage 2 follows its stage 3 in that order and in time, and how many frames
// had all three stages. `egress_deferred_past_other_frames` says whether some
// other frame's ingress ran in between (flush-time execution, 5.14+); it is
// informational, since batching depends on timing.
//
// Expectation: experiments/egress-after-ingress.json.
#include "harness/observe.h"

namespace xdplab {

class EgressAfterIngress : public Experiment {
public:
	std::string id() const override { return "egress-after-ingress"; }
	std::vector<std::string> subtests() const override { return {"native", "generic"}; }

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		StagedRun run = run_staged_or_skip(lab, single_redirect_setup(subtest));

		std::map<uint32_t, std::vector<std::pair<size_t, xdplab_event>>> by_frame; // seq -> (ring position, event)
		for (size_t i = 0; i < run.events.size(); ++i)
			if (run.events[i].stage != XDPLAB_STAGE_PEER)
				by_frame[run.events[i].seq].emplace_back(i, run.events[i]);

		std::vector<json> orders;
		bool all_after = !by_frame.empty();
		bool deferred = false;
		int complete = 0;
		for (const auto &[seq, evs] : by_frame) {
			json order = json::array();
			size_t pos3 = 0, pos2 = 0;
			uint64_t ts3 = 0, ts2 = 0;
			bool has1 = false, has2 = false, has3 = false;
			for (const auto &[pos, e] : evs) {
				order.push_back(e.stage);
				has1 |= e.stage == XDPLAB_STAGE_INGRESS_ENTRY;
				if (e.stage == XDPLAB_STAGE_AFTER_CALL1) {
					has3 = true;
					pos3 = pos;
					ts3 = e.ts_ns;
				}
				if (e.stage == XDPLAB_STAGE_EGRESS) {
					has2 = true;
					pos2 = pos;
					ts2 = e.ts_ns;
				}
			}
			orders.push_back(order);
			complete += has1 && has2 && has3;
			all_after = all_after && has2 && has3 && pos2 > pos3 && ts2 >= ts3;
			if (has2 && has3)
				for (size_t p = pos3 + 1; p < pos2; ++p)
					deferred |= run.events[p].seq != seq && run.events[p].stage == XDPLAB_STAGE_INGRESS_ENTRY;
		}

		Measurement m;
		m.observations["stage_order"] = uniform(orders);
		m.observations["egress_after_ingress_return"] = all_after;
		m.observations["frames_with_all_stages"] = complete;
		m.observations["egress_deferred_past_other_frames"] = deferred;
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(EgressAfterIngress);

} // namespace xdplab
