// redirect-map-last-call-wins
//
// Claim (seed 000, observed on 5.8): bpf_redirect_map() may be called several
// times; the last call decides where the frame goes, and the devmap program
// of the first call's target never runs.
//
// Topology: the staged bench, two egress links (o0, o1), both peers with
// xdp_peer so either redirect would be delivered.
//
// Procedure: two successful calls, key 1 (-> o0, "first_target") then key 2
// (-> o1, "second_target"), both entries carrying xdp_egress; the program
// returns the second call's value. Subtests for DEVMAP and DEVMAP_HASH.
//
// Observations: tagged frames at each receiver, which targets' devmap
// programs ran, and the two calls' return values.
//
// Expectation: experiments/redirect-map-last-call-wins.json.
#include "harness/observe.h"

namespace xdplab {

class RedirectMapLastCallWins : public Experiment {
public:
	std::string id() const override { return "redirect-map-last-call-wins"; }
	std::vector<std::string> subtests() const override { return {"devmap", "devmap_hash"}; }

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		bool hash = subtest == "devmap_hash";
		StagedSetup setup;
		setup.program.calls = 2;
		setup.program.use_hash_map = hash;
		setup.program.key[0] = 1;
		setup.program.key[1] = 2;
		setup.entries = {{hash, 1, "o0", true}, {hash, 2, "o1", true}};
		StagedRun run = run_staged(lab, setup);

		const std::map<std::string, std::string> roles{{"o0", "first_target"}, {"o1", "second_target"}};
		std::vector<json> rets;
		for (const auto &e : run.stage(XDPLAB_STAGE_AFTER_CALL2)) {
			json pair = json::array();
			for (const auto &f : run.stage(XDPLAB_STAGE_AFTER_CALL1))
				if (f.seq == e.seq)
					pair.push_back(f.redirect_ret);
			pair.push_back(e.redirect_ret);
			rets.push_back(pair);
		}

		Measurement m;
		m.observations["delivered"] = delivered_as(run, roles);
		m.observations["devmap_progs_ran"] = devmap_progs_ran(run, roles);
		m.observations["call_returns"] = uniform(rets);
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapLastCallWins);

} // namespace xdplab
