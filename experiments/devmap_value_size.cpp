// devmap-value-size
//
// Claim (seed 002, the DEVMAP_HASH reference page): "The value_size can be 4
// or 8 depending on kernel version and optional secondary program support.
// The key_size can be freely chosen." Seed 001 (map_devmap.rst): the value is
// a struct bpf_devmap_val or "a simple int ifindex for backwards
// compatibility"; bpf_prog.fd on write, bpf_prog.id on read. History
// (kernel-history row 10): key_size must be 4 and value_size 4 or 8 (5.8+),
// anything else is -EINVAL; a 4-byte value cannot carry a program; the entry
// program must be BPF_XDP_DEVMAP, any failure resolving the entry is -EINVAL.
//
// Observations: errno per map creation and per update; the program word read
// back ("prog id", "prog fd", 0 or the number); how many bytes a lookup
// writes (into buffers pre-filled with two patterns); whether the lookups
// return the target's ifindex.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"
#include "harness/observe.h"

#include <bpf/bpf.h>

#include <cstring>
#include <tuple>

namespace xdplab {

struct ValueSizeParams {
	bpf_map_type type;
};

class DevmapValueSize : public DeclaredExperiment<ValueSizeParams> {
public:
	DevmapValueSize()
		: DeclaredExperiment("devmap-value-size",
				     {{"devmap", {BPF_MAP_TYPE_DEVMAP}}, {"devmap_hash", {BPF_MAP_TYPE_DEVMAP_HASH}}},
				     {"create_errno", "value4_update_errno", "value8_update_errno", "value8_lookup_prog",
				      "lookup_bytes", "lookup_ifindex_is_target"})
	{
	}

	Plan plan(const ValueSizeParams &p) const override
	{
		return ProcedurePlan{.network = true, .run = [p](Lab &lab) { run(lab, p.type); }};
	}

private:
	static constexpr __u32 kMissingIfindex = 0x7ffffff0; // no device of the lab network has it

	static void run(Lab &lab, bpf_map_type type)
	{
		if (type == BPF_MAP_TYPE_DEVMAP_HASH && !lab.has("devmap_hash"))
			throw SkipSubtest("this kernel has no BPF_MAP_TYPE_DEVMAP_HASH (5.4+)");
		auto map = [&](__u32 key, __u32 value) {
			return lab.create("a map of the subtest's type: key " + std::to_string(key) + ", value " +
						  std::to_string(value),
					  [&] { return bpf_map_create(type, "xdplab_vsize", key, value, 8, nullptr); });
		};
		json create;
		for (auto [name, key, value] : {std::tuple{"value_0", 4u, 0u}, {"value_4", 4u, 4u}, {"value_8", 4u, 8u},
						{"value_12", 4u, 12u}, {"key_2", 2u, 4u}, {"key_8", 8u, 4u}})
			create[name] = errno_of(map(key, value));
		lab.observe("create_errno", create);

		const LabObject &entry = lab.load("devmap_prog.bpf.o"), &plain = lab.load("redirect_chain.bpf.o");
		const int devmap_prog = entry.fd("xdp_egress"), plain_prog = plain.fd("xdp_ingress");
		const __u32 o0 = lab.ifindex("o0");
		int map4 = map(4, 4), map8 = map(4, 8);
		if (!lab.explaining() && (map4 < 0 || map8 < 0))
			throw std::runtime_error("the 4- and 8-byte maps cannot be created");

		// (ifindex, program fd) written into the map under consecutive keys.
		auto put = [&](int fd, uint32_t key, __u32 ifindex, int prog) {
			bpf_devmap_val v{};
			v.ifindex = ifindex;
			v.bpf_prog.fd = prog;
			return bpf_map_update_elem(fd, &key, &v, BPF_ANY); // a 4-byte map reads the first 4 bytes only
		};
		json v4, v8, progs;
		v4["ifindex"] = lab.step("4-byte map: key 1 = o0", [&] { return put(map4, 1, o0, 0); });
		v4["ifindex_with_prog_fd"] =
			lab.step("4-byte map: key 2 = {o0, devmap program fd} (8 bytes)", [&] { return put(map4, 2, o0, devmap_prog); });
		v4["ifindex_0"] = lab.step("4-byte map: key 3 = 0", [&] { return put(map4, 3, 0, 0); });
		v4["missing_ifindex"] = lab.step("4-byte map: key 4 = no device", [&] { return put(map4, 4, kMissingIfindex, 0); });
		lab.observe("value4_update_errno", v4);

		const std::tuple<const char *, __u32, int> cases[] = {
			{"no_prog", o0, 0},	   {"devmap_prog", o0, devmap_prog}, {"plain_xdp_prog", o0, plain_prog},
			{"fd_minus_1", o0, -1}, {"ifindex_0_with_prog", 0, devmap_prog}, {"ifindex_0_no_prog", 0, 0},
			{"missing_ifindex", kMissingIfindex, 0}};
		uint32_t key = 0;
		for (const auto &[name, ifindex, prog] : cases)
			v8[name] = lab.step(std::string("8-byte map: key ") + std::to_string(++key) + " = " + name,
					    [&] { return put(map8, key, ifindex, prog); });
		lab.observe("value8_update_errno", v8);

		// How many bytes a lookup writes: into buffers pre-filled with two
		// patterns, the highest byte that differs from either.
		size_t bytes[2] = {0, 0};
		bool is_target = true;
		auto read = [&](int fd, uint32_t k, size_t &most, __u32 &prog) {
			unsigned char buf[2][12];
			for (int i = 0; i < 2; ++i) {
				memset(buf[i], i ? 0x5a : 0xa5, sizeof(buf[i]));
				if (int ret = bpf_map_lookup_elem(fd, &k, buf[i]))
					return ret;
				for (size_t b = 0; b < sizeof(buf[i]); ++b)
					if (buf[i][b] != (i ? 0x5a : 0xa5))
						most = std::max(most, b + 1);
			}
			__u32 ifx;
			memcpy(&ifx, buf[0], 4);
			memcpy(&prog, buf[0] + 4, 4);
			is_target = is_target && ifx == o0;
			return 0;
		};
		for (uint32_t k : {1u, 2u}) {
			__u32 prog;
			lab.step("4-byte map: look key " + std::to_string(k) + " up", [&] { return read(map4, k, bytes[0], prog); });
		}
		key = 0;
		for (const auto &[name, ifindex, prog_fd] : cases) {
			++key;
			__u32 prog = 0;
			// Only entries written and pointing at a device can be read back.
			if (v8[name] != json(0) || ifindex != o0)
				continue;
			json ret = lab.step("8-byte map: look key " + std::to_string(key) + " up",
					    [&] { return read(map8, key, bytes[1], prog); });
			progs[name] = ret != json(0)		       ? ret
				      : prog == 0		       ? json(0)
				      : prog == entry.id("xdp_egress") ? json("prog id")
				      : static_cast<int>(prog) == prog_fd ? json("prog fd")
									  : json(prog);
		}
		lab.observe("value8_lookup_prog", progs);
		lab.observe("lookup_bytes", {{"value_4", bytes[0]}, {"value_8", bytes[1]}});
		lab.observe("lookup_ifindex_is_target", is_target);
		lab.note("ifindex", o0);
		lab.note("devmap_prog_id", entry.id("xdp_egress"));
	}
};

XDPLAB_EXPERIMENT(DevmapValueSize);

} // namespace xdplab
