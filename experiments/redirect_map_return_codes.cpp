// redirect-map-return-codes
//
// Claim (seed 000): bpf_redirect_map returns XDP_REDIRECT (4) on a hit and, on
// a miss, the low two bits of `flags` (0 = XDP_ABORTED). What happens to the
// frame when the program returns that value.
//
// Topology: the staged bench; receivers on the first egress link ("target"),
// on the ingress link's own stack ("ingress_stack", for XDP_PASS) and on the
// sender ("sender", XDP_TX sends the frame back; the sender link runs
// xdp_peer so native XDP_TX into it is delivered).
//
// Procedure: one call, returning the helper's value. Subtests miss_flags_N use
// an empty DEVMAP slot (key 7) with flags N = 0..3; hit uses key 0 -> o0.
//
// Observations: the helper's return value, where the frames went (one of
// redirected / passed_to_stack / sent_back / dropped), tagged frames per
// receiver, and whether xdp:xdp_exception fired.
//
// Expectation: experiments/redirect-map-return-codes.json.
#include "harness/observe.h"

namespace xdplab {

class RedirectMapReturnCodes : public Experiment {
public:
	std::string id() const override { return "redirect-map-return-codes"; }
	std::vector<std::string> subtests() const override
	{
		return {"miss_flags_0", "miss_flags_1", "miss_flags_2", "miss_flags_3", "hit"};
	}

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		StagedSetup setup;
		setup.ingress_stack_receiver = true;
		setup.sender_receiver = true;
		setup.program.calls = 1;
		setup.entries = {{false, 0, "o0", true}};
		if (subtest == "hit") {
			setup.program.key[0] = 0;
		} else {
			setup.program.key[0] = 7;
			setup.program.flags[0] = std::stoul(subtest.substr(std::string("miss_flags_").size()));
		}
		StagedRun run = run_staged(lab, setup);

		const std::map<std::string, std::string> roles{
			{"o0", "target"}, {"ingress_stack", "ingress_stack"}, {"sender", "sender"}};
		json delivered = delivered_as(run, roles);
		std::vector<std::string> fates;
		if (delivered["target"].get<int>() > 0)
			fates.push_back("redirected");
		if (delivered["ingress_stack"].get<int>() > 0)
			fates.push_back("passed_to_stack");
		if (delivered["sender"].get<int>() > 0)
			fates.push_back("sent_back");
		std::string fate = "dropped";
		if (!fates.empty()) {
			fate = fates[0];
			for (size_t i = 1; i < fates.size(); ++i)
				fate += "+" + fates[i];
		}
		std::vector<json> rets;
		for (const auto &e : run.stage(XDPLAB_STAGE_AFTER_CALL1))
			rets.push_back(e.redirect_ret);

		Measurement m;
		m.observations["ret"] = uniform(rets);
		m.observations["fate"] = fate;
		m.observations["delivered"] = delivered;
		m.observations["xdp_exception"] = run.tracepoint_count("xdp_exception") > 0;
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapReturnCodes);

} // namespace xdplab
