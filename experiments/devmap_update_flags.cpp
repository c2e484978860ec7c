// devmap-update-flags
//
// Claim (seed 001, map_devmap.rst): bpf_map_update_elem() takes BPF_ANY
// ("create a new element or update an existing element"), BPF_NOEXIST
// ("create a new element only if it did not exist") or BPF_EXIST ("update an
// existing element"). History (kernel-history row 10): a DEVMAP is an array,
// every slot "exists", so BPF_NOEXIST is always -EEXIST and BPF_EXIST fills
// an empty slot; a DEVMAP_HASH refuses BPF_NOEXIST on a present key but never
// checks BPF_EXIST against an absent one.
//
// Topology: one namespace "dut" with a veth pair o0 <-> r0, so that the
// entries point at a real device (the kernel resolves the ifindex in the
// caller's namespace: every update is made from inside "dut").
//
// Procedure: a 4-entry map with 4-byte values made with bpf_map_create(), then
// for each flag (BPF_ANY, BPF_NOEXIST, BPF_EXIST, 3 = NOEXIST|EXIST, which
// only the map's own code refuses, and 4 = BPF_F_LOCK, which the syscall layer
// refuses on a map without a spin lock) an update of key 1 when it is absent
// and when it is present, the key's state reset before each; then BPF_ANY on
// key == max_entries in an empty map, and on a full map a new key and a
// present key.
//
// Observations: errno per case, 0 for success or the errno's name ("EEXIST"),
// and whether an update of an absent key left it present.
//
// Expectation: experiments/devmap-update-flags.json.
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
constexpr uint32_t key = 1;

struct Flag {
	const char *name;
	uint64_t value;
};

// 3 passes the syscall layer and reaches the map's own "flags > BPF_EXIST"
// check; 4 is BPF_F_LOCK, refused by map_update_elem() itself.
constexpr Flag flags[] = {{"any", BPF_ANY}, {"noexist", BPF_NOEXIST}, {"exist", BPF_EXIST},
			  {"noexist_exist", BPF_NOEXIST | BPF_EXIST}, {"lock", BPF_F_LOCK}};

} // namespace

struct UpdateFlagsParams {
	bpf_map_type type;
};

class DevmapUpdateFlags : public DeclaredExperiment<UpdateFlagsParams> {
public:
	DevmapUpdateFlags()
		: DeclaredExperiment("devmap-update-flags",
				     {{"devmap", {.type = BPF_MAP_TYPE_DEVMAP}},
				      {"devmap_hash", {.type = BPF_MAP_TYPE_DEVMAP_HASH}}},
				     {"update_errno", "present_after_absent", "key_at_max_entries_errno",
				      "new_key_when_full_errno", "replace_when_full_errno"})
	{
	}

	Plan plan(const UpdateFlagsParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.veths = {{"dut", "o0", "dut", "r0"}};
		plan.steps = {"# in <dut>: bpf_map_create(" +
				      std::string(p.type == BPF_MAP_TYPE_DEVMAP ? "DEVMAP" : "DEVMAP_HASH") +
				      ", key 4, value 4, max_entries 4)",
			      "# for flags in BPF_ANY, BPF_NOEXIST, BPF_EXIST, 3, 4 (BPF_F_LOCK): "
			      "bpf_map_update_elem(key 1, ifindex of o0, flags) with key 1 absent, then present",
			      "# bpf_map_update_elem(key 4, ifindex of o0, BPF_ANY) on the empty map",
			      "# fill keys 0..3; bpf_map_update_elem(key 4, ...), then (key 0, ...), BPF_ANY"};
		plan.run = [p](ProcedureContext &ctx) { return measure(p, ctx); };
		return plan;
	}

private:
	static Measurement measure(const UpdateFlagsParams &p, ProcedureContext &ctx)
	{
		if (p.type == BPF_MAP_TYPE_DEVMAP_HASH && !ctx.has("devmap_hash"))
			throw SkipSubtest("this kernel has no BPF_MAP_TYPE_DEVMAP_HASH (5.4+)");
		auto t0 = std::chrono::steady_clock::now();
		NetnsScope scope(ctx.netns("dut"));
		const __u32 ifindex = static_cast<__u32>(ctx.ifindex("o0"));

		OwnedFd map(bpf_map_create(p.type, "xdplab_flags", sizeof(__u32), sizeof(__u32), max_entries, nullptr));
		if (map.get() < 0)
			throw std::runtime_error(std::string("bpf_map_create: ") + strerror(-map.get()));
		auto update = [&](uint32_t k, uint64_t f) { return bpf_map_update_elem(map.get(), &k, &ifindex, f); };
		auto present = [&](uint32_t k) {
			__u32 v;
			return bpf_map_lookup_elem(map.get(), &k, &v) == 0;
		};
		auto must = [](int ret, const char *what) {
			if (ret)
				throw std::runtime_error(std::string(what) + ": " + strerror(-ret));
		};
		// A missing DEVMAP_HASH key answers -ENOENT; that is the state wanted.
		auto clear = [&](uint32_t k) { bpf_map_delete_elem(map.get(), &k); };

		json errnos = json::object(), created = json::object();
		for (const Flag &f : flags) {
			clear(key);
			errnos[std::string(f.name) + "_absent"] = errno_of(update(key, f.value));
			created[f.name] = present(key);

			clear(key);
			must(update(key, BPF_ANY), "setting up a present key");
			errnos[std::string(f.name) + "_present"] = errno_of(update(key, f.value));
		}
		clear(key);

		Measurement m;
		m.observations["update_errno"] = errnos;
		m.observations["present_after_absent"] = created;
		int at_max = update(max_entries, BPF_ANY);
		m.observations["key_at_max_entries_errno"] = errno_of(at_max);
		if (at_max == 0)
			clear(max_entries);

		for (uint32_t k = 0; k < max_entries; ++k)
			must(update(k, BPF_ANY), "filling the map");
		m.observations["new_key_when_full_errno"] = errno_of(update(max_entries, BPF_ANY));
		m.observations["replace_when_full_errno"] = errno_of(update(0, BPF_ANY));

		auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
		m.evidence = {{"ifindex", ifindex},
			      {"max_entries", max_entries},
			      {"key", key},
			      {"flag_values", {{"noexist_exist", BPF_NOEXIST | BPF_EXIST}, {"lock", BPF_F_LOCK}}},
			      {"procedure_us", us.count()}};
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapUpdateFlags);

} // namespace xdplab
