// redirect-map-failed-last-call
//
// Claim (seed 000, observed on 5.8): when the second bpf_redirect_map() call
// hits a missing key it returns the low two bits of `flags` (0 = XDP_ABORTED)
// and the first call's target is not used.
//
// Question (kernel-history item 4, from code reading only): the failed call
// clears the map but not ri->tgt_index. If the program ignores the failure
// and returns XDP_REDIRECT anyway, the kernel takes it as a plain ifindex
// redirect to the *first call's key*. Where does the frame go?
//
// Topology: the staged bench with two egress links. The first call's key is
// chosen equal to the ifindex of o1 ("key_as_ifindex"), while the DEVMAP_HASH
// entry under that key points at o0 ("first_target"). Receivers also watch
// the ingress link's stack and the sender, so no destination goes unseen.
//
// Procedure: call 1 hits (key = ifindex of o1 -> o0, with xdp_egress), call 2
// misses (key 0xdead, flags 0). Subtest return_helper_value returns call 2's
// value; return_xdp_redirect returns XDP_REDIRECT regardless (native, and
// generic in return_xdp_redirect_generic).
//
// Observations: both return values, tagged frames per receiver, which devmap
// programs ran, and the kernel's drop tracepoint if any.
//
// Expectation: experiments/redirect-map-failed-last-call.json.
#include "harness/observe.h"

namespace xdplab {

class RedirectMapFailedLastCall : public Experiment {
public:
	static constexpr uint32_t kMissingKey = 0xdead;

	std::string id() const override { return "redirect-map-failed-last-call"; }
	std::vector<std::string> subtests() const override
	{
		return {"return_helper_value", "return_xdp_redirect", "return_xdp_redirect_generic"};
	}

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		StagedSetup setup;
		setup.mode = subtest == "return_xdp_redirect_generic" ? XdpMode::Generic : XdpMode::Native;
		setup.ingress_stack_receiver = true;
		setup.sender_receiver = true;
		setup.program.calls = 2;
		setup.program.use_hash_map = 1;
		setup.program.key[1] = kMissingKey;
		setup.program.return_policy = subtest == "return_helper_value" ? XDPLAB_RETURN_LAST_HELPER_VALUE
									       : XDPLAB_RETURN_REDIRECT_ALWAYS;
		setup.configure = [](const std::map<std::string, int> &ifindex, StagedSetup &s) {
			uint32_t key = static_cast<uint32_t>(ifindex.at("o1"));
			s.program.key[0] = key;
			s.entries = {{true, key, "o0", true}};
		};
		StagedRun run = run_staged_or_skip(lab, setup);

		const std::map<std::string, std::string> roles{{"o0", "first_target"},
							       {"o1", "key_as_ifindex"},
							       {"ingress_stack", "ingress_stack"},
							       {"sender", "sender"}};
		std::vector<json> first, second;
		for (const auto &e : run.stage(XDPLAB_STAGE_AFTER_CALL1))
			first.push_back(e.redirect_ret);
		for (const auto &e : run.stage(XDPLAB_STAGE_AFTER_CALL2))
			second.push_back(e.redirect_ret);

		Measurement m;
		m.observations["first_call_ret"] = uniform(first);
		m.observations["second_call_ret"] = uniform(second);
		m.observations["delivered"] = delivered_as(run, roles);
		m.observations["devmap_progs_ran"] = devmap_progs_ran(run, roles);
		m.observations["drop_tracepoint"] = drop_tracepoint(run);
		m.evidence = run.evidence();
		m.evidence["first_call_key"] = run.ifindex.at("o1");
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapFailedLastCall);

} // namespace xdplab
