// devmap-broadcast
//
// Claim (seed 001, map_devmap.rst): "With BPF_F_BROADCAST the packet will be
// broadcast to all the interfaces in the map, with BPF_F_EXCLUDE_INGRESS the
// ingress interface will be excluded from the broadcast", and "The key is
// ignored if BPF_F_BROADCAST is set". History (kernel-history rows 4 and 6):
// the flags exist from 5.14 (e624d4ed4aa8), native and generic; before, the
// helper refuses any flags above XDP_TX. 5.15 (aeea1b86f936) also excludes
// the ingress device's masters (none here); 6.12 (09d88791c7cd) keeps the
// internal redirect flags apart from these UAPI bits.
//
// Topology: the bench with three outputs. The map holds "keyed" (o0, the
// entry the call's key names), "other" (o1) and the ingress link `in` itself,
// whose copy leaves through `in` and is captured by the "sender" receiver.
// "outside" (o2) is not in the map. Every receiving peer, the sender's link
// included, has XDP, so native delivery into each works on every kernel;
// except in devmap_member_without_xdp, where "other"'s peer has none: from
// 6.3 a native broadcast is said to skip such a member silently (its veth
// lacks NETDEV_XDP_ACT_NDO_XMIT, is_valid_dst()), before 6.3 the veth itself
// drops the copy at flush (-ENXIO in xdp:xdp_devmap_xmit; row 7).
//
// Procedure: one bpf_redirect_map call with BPF_F_BROADCAST (and
// BPF_F_EXCLUDE_INGRESS in the *_exclude_ingress subtests), returning the
// helper's value. DEVMAP subtests key the entries 0, 1, 2 and call with key 0;
// DEVMAP_HASH subtests key them by ifindex and call with o0's ifindex;
// devmap_hash_missing_key calls with 0xdead, which is in no entry. generic*
// repeat the DEVMAP subtests with the ingress program in generic mode.
// 4-byte devmap values (no entry programs), so generic mode attaches before
// 5.15 too. The engine waits a quiet time after every frame is accounted for,
// since a frame counts as accounted once any receiver saw one copy.
//
// Observations: the helper's return value; whether the key was ignored (true:
// a device other than the key's got copies; false: only the key's did; null:
// no copy anywhere); the kernel's first failure tracepoint. Copies per
// receiver are the engine's `delivered`.
//
// Expectation: experiments/devmap-broadcast.json.
#include "harness/observe.h"

#include <linux/bpf.h>

namespace xdplab {

struct BroadcastParams {
	XdpMode mode;
	Devmap map;
	uint64_t flags;
	bool missing_key = false;
	Peer other_peer = Peer::Xdp; // what the second member's receiving peer has
};

class DevmapBroadcast : public DeclaredExperiment<BroadcastParams> {
public:
	static constexpr uint64_t kBroadcast = BPF_F_BROADCAST;
	static constexpr uint64_t kExclude = BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS;
	static constexpr uint32_t kMissingKey = 0xdead;

	DevmapBroadcast()
		: DeclaredExperiment(
			  "devmap-broadcast",
			  {{"devmap_broadcast", {.mode = XdpMode::Native, .map = Devmap::Array, .flags = kBroadcast}},
			   {"devmap_exclude_ingress", {.mode = XdpMode::Native, .map = Devmap::Array, .flags = kExclude}},
			   {"devmap_hash_broadcast", {.mode = XdpMode::Native, .map = Devmap::Hash, .flags = kBroadcast}},
			   {"devmap_hash_exclude_ingress",
			    {.mode = XdpMode::Native, .map = Devmap::Hash, .flags = kExclude}},
			   {"devmap_hash_missing_key",
			    {.mode = XdpMode::Native, .map = Devmap::Hash, .flags = kBroadcast, .missing_key = true}},
			   {"devmap_member_without_xdp",
			    {.mode = XdpMode::Native, .map = Devmap::Array, .flags = kBroadcast, .other_peer = Peer::None}},
			   {"generic", {.mode = XdpMode::Generic, .map = Devmap::Array, .flags = kBroadcast}},
			   {"generic_exclude_ingress", {.mode = XdpMode::Generic, .map = Devmap::Array, .flags = kExclude}}},
			  {"helper_ret", "key_ignored", "drop_tracepoint"})
	{
	}

	Plan plan(const BroadcastParams &p) const override
	{
		// Map members, in entry order: the key's target, another output, and
		// the ingress link itself.
		static const char *const members[] = {"o0", "o1", "in"};
		bool hash = p.map == Devmap::Hash;
		std::vector<DevmapEntry> entries;
		for (uint32_t i = 0; i < 3; ++i)
			entries.push_back({p.map, hash ? Key::ifindex(members[i]) : Key(i), members[i]});
		Key key = p.missing_key ? Key(kMissingKey) : hash ? Key::ifindex("o0") : Key(0);
		return BenchPlan{
			.mode = p.mode,
			.outputs = {{"keyed"}, {"other", p.other_peer}, {"outside"}},
			.calls = {{p.map, key, p.flags}},
			.entries = entries,
			.measures_absence = true,
		};
	}

	Measurement observe(const BroadcastParams &p, const BenchRun &run) const override
	{
		bool any = false, beyond_key = false;
		for (const auto &[receiver, link] : run.receiver_link) {
			if (run.delivered(receiver) == 0)
				continue;
			any = true;
			beyond_key |= receiver != "keyed";
		}
		Measurement m;
		m.observations["helper_ret"] =
			uniform_over(run, XDPLAB_STAGE_AFTER_CALL1, [](const xdplab_event &e) { return e.redirect_ret; });
		m.observations["key_ignored"] = any ? json(beyond_key) : json(nullptr);
		m.observations["drop_tracepoint"] = drop_tracepoint(run);
		m.evidence["call_key"] = run.plan.calls.at(0).key.value;
		m.evidence["call_flags"] = p.flags;
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapBroadcast);

} // namespace xdplab
