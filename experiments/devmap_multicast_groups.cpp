// devmap-multicast-groups
//
// Claim (seed 001, map_devmap.rst): "The broadcast feature can also be used
// to implement multicast forwarding: simply create multiple DEVMAPs, each one
// corresponding to a single multicast group." A frame broadcast into one
// group should reach exactly that group's members, whatever the other groups
// hold. History: broadcast from 5.14 (e624d4ed4aa8, kernel-history row 6);
// before, the helper refuses the flags (row 4).
//
// Topology: the bench with three outputs, each named after the groups it
// belongs to: "a_c" (o0), "a_b" (o1), "b_c" (o2). Three maps of the redirect
// chain are the groups, all filled in every subtest:
//   group a: tx_array (DEVMAP)      = { o0, o1, in }
//   group b: tx_group (DEVMAP)      = { o1, o2, in }
//   group c: tx_hash  (DEVMAP_HASH) = { o0, o2, in }, keyed by ifindex
// The ingress link is in every group, as the port a group's traffic comes in
// on would be; every receiving peer has XDP, so native delivery works.
//
// Procedure: one bpf_redirect_map call into the subtest's group with
// BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS (the seed's broadcast example),
// returning the helper's value. The engine waits a quiet time after every
// frame is accounted for, so that copies beyond the first are counted.
//
// Observations: the helper's return value and the receivers that got copies
// (copies per receiver are the engine's `delivered`).
//
// Expectation: experiments/devmap-multicast-groups.json.
#include "harness/observe.h"

#include <linux/bpf.h>

namespace xdplab {

struct MulticastParams {
	Devmap group;
};

class DevmapMulticastGroups : public DeclaredExperiment<MulticastParams> {
public:
	DevmapMulticastGroups()
		: DeclaredExperiment("devmap-multicast-groups",
				     {{"group_a", {.group = Devmap::Array}},
				      {"group_b", {.group = Devmap::Group}},
				      {"group_c_hash", {.group = Devmap::Hash}}},
				     {"helper_ret", "reached"})
	{
	}

	Plan plan(const MulticastParams &p) const override
	{
		std::vector<DevmapEntry> entries;
		auto group = [&](Devmap map, std::vector<std::string> members) {
			for (uint32_t i = 0; i < members.size(); ++i)
				entries.push_back(
					{map, map == Devmap::Hash ? Key::ifindex(members[i]) : Key(i), members[i]});
		};
		group(Devmap::Array, {"o0", "o1", "in"});
		group(Devmap::Group, {"o1", "o2", "in"});
		group(Devmap::Hash, {"o0", "o2", "in"});
		// The key is ignored with BPF_F_BROADCAST; it names a member anyway.
		Key key = p.group == Devmap::Hash ? Key::ifindex("o0") : Key(0);
		return BenchPlan{
			.outputs = {{"a_c"}, {"a_b"}, {"b_c"}},
			.calls = {{p.group, key, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS}},
			.entries = entries,
			.measures_absence = true,
		};
	}

	Measurement observe(const MulticastParams &, const BenchRun &run) const override
	{
		std::vector<std::string> reached; // receiver_link is a std::map: sorted
		for (const auto &[receiver, link] : run.receiver_link)
			if (run.delivered(receiver) > 0)
				reached.push_back(receiver);
		Measurement m;
		m.observations["helper_ret"] =
			uniform_over(run, XDPLAB_STAGE_AFTER_CALL1, [](const xdplab_event &e) { return e.redirect_ret; });
		m.observations["reached"] = reached;
		m.evidence["drop_tracepoint"] = drop_tracepoint(run);
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapMulticastGroups);

} // namespace xdplab
