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
// Topology: one namespace "dut" with a veth pair o0 <-> r0 (entries need a
// real device, resolved in the caller's namespace: updates are made in "dut").
//
// Procedure: a 4-entry map with 4-byte values; key 1 = o0, then delete key 1
// twice, delete key 2 (never set), delete key 4 (== max_entries); look key 1
// up; then key 1 = o0 again and an update of key 1 with ifindex 0, and a
// lookup.
//
// Observations: errno per delete (0 or the errno's name), errno of the lookup
// after the delete, errno of the ifindex-0 update and of the lookup after it.
//
// Expectation: experiments/devmap-delete.json.
#include "harness/observe.h"
#include "harness/experiment.h"
#include "netns/netns_scope.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace xdplab {

namespace {

constexpr uint32_t max_entries = 4;

} // namespace

struct DeleteParams {
	bpf_map_type type;
};

class DevmapDelete : public DeclaredExperiment<DeleteParams> {
public:
	DevmapDelete()
		: DeclaredExperiment("devmap-delete",
				     {{"devmap", {.type = BPF_MAP_TYPE_DEVMAP}},
				      {"devmap_hash", {.type = BPF_MAP_TYPE_DEVMAP_HASH}}},
				     {"delete_errno", "lookup_after_delete_errno", "clear_with_ifindex_0"})
	{
	}

	Plan plan(const DeleteParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.veths = {{"dut", "o0", "dut", "r0"}};
		plan.steps = {"# in <dut>: bpf_map_create(" +
				      std::string(p.type == BPF_MAP_TYPE_DEVMAP ? "DEVMAP" : "DEVMAP_HASH") +
				      ", key 4, value 4, max_entries 4); key 1 = ifindex of o0",
			      "# bpf_map_delete_elem(key 1) twice, (key 2: never set), (key 4: == max_entries)",
			      "# bpf_map_lookup_elem(key 1)",
			      "# key 1 = ifindex of o0; bpf_map_update_elem(key 1, 0, BPF_ANY); bpf_map_lookup_elem(key 1)"};
		plan.run = [p](ProcedureContext &ctx) { return measure(p, ctx); };
		return plan;
	}

private:
	static Measurement measure(const DeleteParams &p, ProcedureContext &ctx)
	{
		if (p.type == BPF_MAP_TYPE_DEVMAP_HASH && !ctx.has("devmap_hash"))
			throw SkipSubtest("this kernel has no BPF_MAP_TYPE_DEVMAP_HASH (5.4+)");
		auto t0 = std::chrono::steady_clock::now();
		NetnsScope scope(ctx.netns("dut"));
		const __u32 ifindex = static_cast<__u32>(ctx.ifindex("o0"));

		OwnedFd map(bpf_map_create(p.type, "xdplab_delete", sizeof(__u32), sizeof(__u32), max_entries, nullptr));
		if (map.get() < 0)
			throw std::runtime_error(std::string("bpf_map_create: ") + strerror(-map.get()));
		auto update = [&](uint32_t k, __u32 v) { return bpf_map_update_elem(map.get(), &k, &v, BPF_ANY); };
		auto remove = [&](uint32_t k) { return bpf_map_delete_elem(map.get(), &k); };
		auto lookup = [&](uint32_t k) {
			__u32 v;
			return bpf_map_lookup_elem(map.get(), &k, &v);
		};
		auto must = [](int ret, const char *what) {
			if (ret)
				throw std::runtime_error(std::string(what) + ": " + strerror(-ret));
		};

		must(update(1, ifindex), "setting key 1");
		json deletes = json::object();
		deletes["present"] = errno_of(remove(1));
		deletes["deleted_before"] = errno_of(remove(1));
		deletes["never_set"] = errno_of(remove(2));
		deletes["key_at_max_entries"] = errno_of(remove(max_entries));

		Measurement m;
		m.observations["delete_errno"] = deletes;
		m.observations["lookup_after_delete_errno"] = errno_of(lookup(1));

		must(update(1, ifindex), "setting key 1 again");
		json clear = json::object();
		clear["update"] = errno_of(update(1, 0));
		clear["lookup_after"] = errno_of(lookup(1));
		m.observations["clear_with_ifindex_0"] = clear;

		auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
		m.evidence = {{"ifindex", ifindex}, {"max_entries", max_entries}, {"procedure_us", us.count()}};
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapDelete);

} // namespace xdplab
