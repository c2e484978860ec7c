// devmap-update-flags
//
// Claim (seed 001, map_devmap.rst): BPF_ANY creates or updates, BPF_NOEXIST
// creates only a new element, BPF_EXIST updates only an existing one. History
// (kernel-history row 10): a DEVMAP's NOEXIST is always -EEXIST and EXIST
// fills an empty slot; a DEVMAP_HASH's EXIST on a missing key inserts it; a
// key >= max_entries or a full hash is -E2BIG; flags 3 reach the map's own
// check (-EINVAL), 4 (BPF_F_LOCK) is refused by the syscall layer.
// Observations: errno per flag with the key absent and present, whether it
// exists then, and the errnos at max_entries and when the map is full.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"
#include <bpf/bpf.h>

namespace xdplab {

struct UpdateFlagsParams {
	bpf_map_type type;
};

class DevmapUpdateFlags : public DeclaredExperiment<UpdateFlagsParams> {
public:
	DevmapUpdateFlags()
		: DeclaredExperiment("devmap-update-flags",
				     {{"devmap", {BPF_MAP_TYPE_DEVMAP}}, {"devmap_hash", {BPF_MAP_TYPE_DEVMAP_HASH}}},
				     {"update_errno", "present_after_absent", "key_at_max_entries_errno",
				      "new_key_when_full_errno", "replace_when_full_errno"})
	{
	}

	Plan plan(const UpdateFlagsParams &p) const override
	{
		return ProcedurePlan{.network = true, .run = [p](Lab &lab) { run(lab, p.type); }};
	}

private:
	static constexpr uint32_t kMaxEntries = 4, kKey = 1;
	static void run(Lab &lab, bpf_map_type type)
	{
		if (type == BPF_MAP_TYPE_DEVMAP_HASH && !lab.has("devmap_hash"))
			throw SkipSubtest("this kernel has no BPF_MAP_TYPE_DEVMAP_HASH (5.4+)");
		const __u32 o0 = lab.ifindex("o0");
		int map = lab.create("a map of the subtest's type: key 4, value 4, 4 entries",
				     [&] { return bpf_map_create(type, "xdplab_flags", 4, 4, kMaxEntries, nullptr); });
		auto update = [&](uint32_t k, uint64_t flags) { return bpf_map_update_elem(map, &k, &o0, flags); };
		auto clear = [&](uint32_t k) { return bpf_map_delete_elem(map, &k), 0; }; // a missing hash key is fine
		__u32 v;
		auto present = [&](uint32_t k) { return bpf_map_lookup_elem(map, &k, &v); };

		// 3 passes the syscall layer and reaches the map's own check; 4 is BPF_F_LOCK.
		const std::pair<const char *, uint64_t> flags[] = {{"any", BPF_ANY}, {"noexist", BPF_NOEXIST},
			{"exist", BPF_EXIST}, {"noexist_exist", BPF_NOEXIST | BPF_EXIST}, {"lock", BPF_F_LOCK}};
		json errnos, created;
		for (const auto &[name, value] : flags) {
			std::string f = name;
			lab.step("delete key 1", [&] { return clear(kKey); });
			errnos[f + "_absent"] = lab.step("update key 1 (absent) with " + f, [&] { return update(kKey, value); });
			created[f] = lab.step("is key 1 there?", [&] { return present(kKey); }) == json(0);
			lab.step("delete key 1", [&] { return clear(kKey); });
			lab.must("key 1 = o0", [&] { return update(kKey, BPF_ANY); });
			errnos[f + "_present"] = lab.step("update key 1 (present) with " + f, [&] { return update(kKey, value); });
		}
		lab.step("delete key 1", [&] { return clear(kKey); });
		lab.observe("update_errno", errnos);
		lab.observe("present_after_absent", created);
		json at_max = lab.step("update key 4 (== max_entries)", [&] { return update(kMaxEntries, BPF_ANY); });
		lab.observe("key_at_max_entries_errno", at_max);
		if (at_max == json(0))
			lab.step("delete key 4", [&] { return clear(kMaxEntries); });
		for (uint32_t k = 0; k < kMaxEntries; ++k)
			lab.must("fill: key " + std::to_string(k) + " = o0", [&] { return update(k, BPF_ANY); });
		lab.observe("new_key_when_full_errno",
			    lab.step("update key 4 in the full map", [&] { return update(kMaxEntries, BPF_ANY); }));
		lab.observe("replace_when_full_errno", lab.step("update key 0 in the full map", [&] { return update(0, BPF_ANY); }));
	}
};

XDPLAB_EXPERIMENT(DevmapUpdateFlags);

} // namespace xdplab
