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
// Topology: one namespace "dut" with a veth pair o0 <-> r0 (entries need a
// real device, resolved in the caller's namespace: updates are made in "dut").
//
// Procedure: bpf_map_create() per value size (0, 4, 8, 12; key 4) and key
// size (2, 8; value 4). On a 4-byte map: updates with the ifindex, with an
// 8-byte bpf_devmap_val buffer naming the BPF_XDP_DEVMAP program, with ifindex
// 0 and with an ifindex no device has. On an 8-byte map: updates with no
// program, the entry program (xdp_egress, BPF_XDP_DEVMAP), a plain XDP
// program (xdp_ingress), fd -1, ifindex 0 with and without a program, an
// ifindex no device has. Lookups of the entries into a 12-byte buffer
// pre-filled with a pattern, to see how many bytes the kernel writes.
//
// Observations: errno per case (0 or the errno's name), the program word
// read back ("prog id", "prog fd", 0 or the number), bytes a lookup writes,
// whether the lookups return the target's ifindex.
//
// Expectation: experiments/devmap-value-size.json.
#include "harness/observe.h"
#include "harness/bench_programs.h"
#include "harness/event_stream.h"
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

constexpr uint32_t max_entries = 8;
// No device has this ifindex in a fresh namespace holding lo, o0 and r0.
constexpr __u32 missing_ifindex = 0x7ffffff0;

struct Lookup {
	int ret = 0;
	size_t bytes = 0; // how many bytes of the buffer the kernel wrote
	__u32 ifindex = 0;
	__u32 prog = 0;
};

// Looks `key` up twice, into buffers filled with two different patterns: a
// byte the kernel wrote differs from at least one of them, so the highest
// such byte tells how much of the value the kernel copies out.
Lookup lookup(int fd, uint32_t key)
{
	Lookup out;
	unsigned char buf[2][12];
	const unsigned char pattern[2] = {0xa5, 0x5a};
	for (int i = 0; i < 2; ++i) {
		memset(buf[i], pattern[i], sizeof(buf[i]));
		int ret = bpf_map_lookup_elem(fd, &key, buf[i]);
		if (ret) {
			out.ret = ret;
			return out;
		}
		for (size_t b = 0; b < sizeof(buf[i]); ++b)
			if (buf[i][b] != pattern[i] && b + 1 > out.bytes)
				out.bytes = b + 1;
	}
	memcpy(&out.ifindex, buf[0], 4);
	memcpy(&out.prog, buf[0] + 4, 4);
	return out;
}

} // namespace

struct ValueSizeParams {
	bpf_map_type type;
};

class DevmapValueSize : public DeclaredExperiment<ValueSizeParams> {
public:
	DevmapValueSize()
		: DeclaredExperiment("devmap-value-size",
				     {{"devmap", {.type = BPF_MAP_TYPE_DEVMAP}},
				      {"devmap_hash", {.type = BPF_MAP_TYPE_DEVMAP_HASH}}},
				     {"create_errno", "value4_update_errno", "value8_update_errno", "value8_lookup_prog",
				      "lookup_bytes", "lookup_ifindex_is_target"})
	{
	}

	Plan plan(const ValueSizeParams &p) const override
	{
		std::string type = p.type == BPF_MAP_TYPE_DEVMAP ? "DEVMAP" : "DEVMAP_HASH";
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.veths = {{"dut", "o0", "dut", "r0"}};
		plan.steps = {"# bpf_map_create(" + type +
				      ", key/value sizes 4/0, 4/4, 4/8, 4/12, 2/4, 8/4, max_entries 8), closed again",
			      "# load build/bpf/redirect_chain.bpf.o (xdp_ingress: plain XDP) and "
			      "build/bpf/devmap_prog.bpf.o (xdp_egress: BPF_XDP_DEVMAP), with BenchPrograms (peer.bpf.o too)",
			      "# in <dut>, on a 4-byte " + type +
				      ": update key 1 = ifindex of o0; key 2 = {ifindex of o0, fd of "
				      "xdp_egress} (an 8-byte buffer); key 3 = 0; key 4 = 0x7ffffff0",
			      "# in <dut>, on an 8-byte " + type +
				      ": key 1 = {o0, 0}; 2 = {o0, xdp_egress}; 3 = {o0, xdp_ingress}; 4 = {o0, -1}; "
				      "5 = {0, xdp_egress}; 6 = {0, 0}; 7 = {0x7ffffff0, 0}",
			      "# bpf_map_lookup_elem() of the entries that took, into 12-byte patterned buffers"};
		plan.run = [p](ProcedureContext &ctx) { return measure(p, ctx); };
		return plan;
	}

private:
	static Measurement measure(const ValueSizeParams &p, ProcedureContext &ctx)
	{
		if (p.type == BPF_MAP_TYPE_DEVMAP_HASH && !ctx.has("devmap_hash"))
			throw SkipSubtest("this kernel has no BPF_MAP_TYPE_DEVMAP_HASH (5.4+)");
		auto t0 = std::chrono::steady_clock::now();
		Measurement m;

		json create = json::object();
		auto try_create = [&](const char *name, __u32 key_size, __u32 value_size) {
			OwnedFd map(bpf_map_create(p.type, "xdplab_vsize", key_size, value_size, max_entries, nullptr));
			create[name] = errno_of(map.get());
		};
		try_create("value_0", 4, 0);
		try_create("value_4", 4, 4);
		try_create("value_8", 4, 8);
		try_create("value_12", 4, 12);
		try_create("key_2", 2, 4);
		try_create("key_8", 8, 4);
		m.observations["create_errno"] = create;
		auto created_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);

		// Only the programs are needed: the chain's own devmaps stay empty.
		BenchPlan shape;
		shape.entries = {{Devmap::Array, 0, "o0", true}};
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BenchPrograms progs(shape, ident, ctx.events());
		const int devmap_prog = progs.entry_fd(), plain_prog = progs.ingress_fd();
		const unsigned devmap_prog_id = progs.ids().entry;
		auto loaded_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);

		NetnsScope scope(ctx.netns("dut"));
		const __u32 ifindex = static_cast<__u32>(ctx.ifindex("o0"));
		auto must_create = [&](__u32 value_size) {
			int fd = bpf_map_create(p.type, "xdplab_vsize", 4, value_size, max_entries, nullptr);
			if (fd < 0)
				throw std::runtime_error("bpf_map_create with value size " + std::to_string(value_size) +
							 ": " + strerror(-fd));
			return fd;
		};
		bool ifindex_is_target = true;
		json bytes = json::object();

		OwnedFd map4(must_create(4));
		json v4 = json::object();
		auto update4 = [&](uint32_t key, const void *value) {
			return bpf_map_update_elem(map4.get(), &key, value, BPF_ANY);
		};
		bpf_devmap_val with_prog{};
		with_prog.ifindex = ifindex;
		with_prog.bpf_prog.fd = devmap_prog;
		const __u32 zero = 0;
		v4["ifindex"] = errno_of(update4(1, &ifindex));
		v4["ifindex_with_prog_fd"] = errno_of(update4(2, &with_prog));
		v4["ifindex_0"] = errno_of(update4(3, &zero));
		v4["missing_ifindex"] = errno_of(update4(4, &missing_ifindex));
		m.observations["value4_update_errno"] = v4;
		size_t v4_bytes = 0;
		json v4_lookups = json::object();
		for (uint32_t key : {1u, 2u}) {
			Lookup l = lookup(map4.get(), key);
			v4_lookups[std::to_string(key)] = {{"ret", errno_of(l.ret)}, {"bytes", l.bytes}, {"ifindex", l.ifindex}};
			if (l.ret)
				continue;
			v4_bytes = std::max(v4_bytes, l.bytes);
			ifindex_is_target = ifindex_is_target && l.ifindex == ifindex;
		}
		bytes["value_4"] = v4_bytes;

		OwnedFd map8(must_create(8));
		struct Case {
			const char *name;
			__u32 ifindex;
			int fd;
		};
		const Case cases[] = {{"no_prog", ifindex, 0},	       {"devmap_prog", ifindex, devmap_prog},
				      {"plain_xdp_prog", ifindex, plain_prog}, {"fd_minus_1", ifindex, -1},
				      {"ifindex_0_with_prog", 0, devmap_prog}, {"ifindex_0_no_prog", 0, 0},
				      {"missing_ifindex", missing_ifindex, 0}};
		json v8 = json::object(), progs_read = json::object(), v8_lookups = json::object();
		size_t v8_bytes = 0;
		uint32_t key = 0;
		for (const Case &c : cases) {
			++key;
			bpf_devmap_val val{};
			val.ifindex = c.ifindex;
			val.bpf_prog.fd = c.fd;
			int ret = bpf_map_update_elem(map8.get(), &key, &val, BPF_ANY);
			v8[c.name] = errno_of(ret);
			// Only entries that point at a device can be read back.
			if (ret || c.ifindex != ifindex)
				continue;
			Lookup l = lookup(map8.get(), key);
			v8_lookups[c.name] = {{"ret", errno_of(l.ret)}, {"bytes", l.bytes}, {"ifindex", l.ifindex},
					      {"prog", l.prog}};
			if (l.ret) {
				progs_read[c.name] = errno_of(l.ret);
				continue;
			}
			v8_bytes = std::max(v8_bytes, l.bytes);
			ifindex_is_target = ifindex_is_target && l.ifindex == ifindex;
			progs_read[c.name] = l.prog == 0			    ? json(0)
					     : l.prog == devmap_prog_id		    ? json("prog id")
					     : static_cast<int>(l.prog) == c.fd ? json("prog fd")
										    : json(l.prog);
		}
		bytes["value_8"] = v8_bytes;
		m.observations["value8_update_errno"] = v8;
		m.observations["value8_lookup_prog"] = progs_read;
		m.observations["lookup_bytes"] = bytes;
		m.observations["lookup_ifindex_is_target"] = ifindex_is_target;

		auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
		m.evidence = {{"ifindex", ifindex},
			      {"missing_ifindex", missing_ifindex},
			      {"devmap_prog_fd", devmap_prog},
			      {"devmap_prog_id", devmap_prog_id},
			      {"plain_prog_fd", plain_prog},
			      {"value4_lookups", v4_lookups},
			      {"value8_lookups", v8_lookups},
			      {"creates_us", created_us.count()},
			      {"programs_loaded_us", loaded_us.count()},
			      {"procedure_us", us.count()}};
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapValueSize);

} // namespace xdplab
