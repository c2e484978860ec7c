// devmap-delete
//
// Claim (seed 001, map_devmap.rst): bpf_map_delete_elem() "will return 0 on
// success, or negative error in case of failure". History (kernel-history row
// 10): a DEVMAP slot is deleted by emptying it, and emptying an empty slot is
// a success (0); only a key >= max_entries fails, with -EINVAL (where an
// update answers -E2BIG). A DEVMAP_HASH answers -ENOENT for a missing key.
// A DEVMAP slot can also be emptied by writing ifindex 0, which a
// DEVMAP_HASH refuses (-EINVAL).
//
// Observations: errno per delete (0 or the errno's name), of the lookup after
// them, of the ifindex-0 update and of the lookup after it.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"

#include <bpf/bpf.h>

namespace xdplab {

struct DeleteParams {
	bpf_map_type type;
};

class DevmapDelete : public DeclaredExperiment<DeleteParams> {
public:
	DevmapDelete()
		: DeclaredExperiment("devmap-delete",
				     {{"devmap", {BPF_MAP_TYPE_DEVMAP}}, {"devmap_hash", {BPF_MAP_TYPE_DEVMAP_HASH}}},
				     {"delete_errno", "lookup_after_delete_errno", "clear_with_ifindex_0"})
	{
	}

	Plan plan(const DeleteParams &p) const override
	{
		return ProcedurePlan{.network = true, .run = [p](Lab &lab) { run(lab, p.type); }};
	}

private:
	static constexpr uint32_t kMaxEntries = 4;

	static void run(Lab &lab, bpf_map_type type)
	{
		if (type == BPF_MAP_TYPE_DEVMAP_HASH && !lab.has("devmap_hash"))
			throw SkipSubtest("this kernel has no BPF_MAP_TYPE_DEVMAP_HASH (5.4+)");
		const __u32 o0 = lab.ifindex("o0"), zero = 0;
		int map = lab.create("a map of the subtest's type: key 4, value 4, 4 entries",
				     [&] { return bpf_map_create(type, "xdplab_delete", 4, 4, kMaxEntries, nullptr); });
		auto set = [&](uint32_t k, const __u32 &v) { return bpf_map_update_elem(map, &k, &v, BPF_ANY); };
		auto del = [&](uint32_t k) { return bpf_map_delete_elem(map, &k); };
		auto get = [&](uint32_t k) {
			__u32 v;
			return bpf_map_lookup_elem(map, &k, &v);
		};

		lab.must("key 1 = o0", [&] { return set(1, o0); });
		json deletes;
		deletes["present"] = lab.step("delete key 1", [&] { return del(1); });
		deletes["deleted_before"] = lab.step("delete key 1 again", [&] { return del(1); });
		deletes["never_set"] = lab.step("delete key 2, never set", [&] { return del(2); });
		deletes["key_at_max_entries"] = lab.step("delete key 4 (== max_entries)", [&] { return del(kMaxEntries); });
		lab.observe("delete_errno", deletes);
		lab.observe("lookup_after_delete_errno", lab.step("look key 1 up", [&] { return get(1); }));

		lab.must("key 1 = o0 again", [&] { return set(1, o0); });
		lab.observe("clear_with_ifindex_0",
			    {{"update", lab.step("key 1 = ifindex 0", [&] { return set(1, zero); })},
			     {"lookup_after", lab.step("look key 1 up", [&] { return get(1); })}});
		lab.note("ifindex", o0);
	}
};

XDPLAB_EXPERIMENT(DevmapDelete);

} // namespace xdplab
