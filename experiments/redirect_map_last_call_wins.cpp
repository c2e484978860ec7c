// redirect-map-last-call-wins
//
// Claim (seed 000, observed on 5.8): bpf_redirect_map() may be called several
// times; the last call decides where the frame goes, and the devmap program
// of the first call's target never runs.
//
// Topology: the bench, two outputs (o0 "first_target", o1 "second_target"),
// both peers with xdp_peer so either redirect would be delivered.
//
// Procedure: two successful calls, key 1 (-> o0) then key 2 (-> o1), both
// entries carrying xdp_egress; the program returns the second call's value.
// Subtests for DEVMAP and DEVMAP_HASH.
//
// Observations: which targets' devmap programs ran and the two calls' return
// values (tagged frames per receiver come from the engine's `delivered`).
//
// Expectation: experiments/redirect-map-last-call-wins.json.
#include "harness/observe.h"

namespace xdplab {

struct LastCallParams {
	Devmap map;
};

class RedirectMapLastCallWins : public DeclaredExperiment<LastCallParams> {
public:
	RedirectMapLastCallWins()
		: DeclaredExperiment("redirect-map-last-call-wins",
				     {{"devmap", {.map = Devmap::Array}}, {"devmap_hash", {.map = Devmap::Hash}}},
				     {"devmap_progs_ran", "call_returns"})
	{
	}

	Plan plan(const LastCallParams &p) const override
	{
		return BenchPlan{
			.outputs = {{"first_target"}, {"second_target"}},
			.calls = {{p.map, 1}, {p.map, 2}},
			.entries = {{p.map, 1, "o0", true}, {p.map, 2, "o1", true}},
		};
	}

	Measurement observe(const LastCallParams &, const BenchRun &run) const override
	{
		std::map<uint32_t, json> first;
		for (const auto &e : run.stage(XDPLAB_STAGE_AFTER_CALL1))
			first[e.seq] = e.redirect_ret;
		std::vector<json> rets;
		for (const auto &e : run.stage(XDPLAB_STAGE_AFTER_CALL2))
			rets.push_back(json::array({first.count(e.seq) ? first[e.seq] : json(nullptr), e.redirect_ret}));

		Measurement m;
		m.observations["devmap_progs_ran"] = devmap_progs_ran(run);
		m.observations["call_returns"] = uniform(rets);
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapLastCallWins);

} // namespace xdplab
