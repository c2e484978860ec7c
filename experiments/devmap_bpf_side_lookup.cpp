// devmap-bpf-side-lookup
//
// Claim (seed 001, map_devmap.rst): "Net device entries can be retrieved
// using the bpf_map_lookup_elem() helper." Lookups from BPF exist since 5.3
// (0cdbb4b09a06), which also forces BPF_F_RDONLY_PROG on every devmap: the
// value points straight at the kernel's entry, so the program may read it but
// not write it (kernel-history row 10).
//
// Topology: one namespace with a veth pair, so that entries name a real
// device (updates resolve the ifindex in the caller's namespace).
//
// Procedure: fill key K of a 4-byte and of an 8-byte map of one type (DEVMAP
// or DEVMAP_HASH) with o0, the 8-byte one with the devmap entry program too;
// run xdp_lookup of bpf/devmap_contract.bpf.c once with BPF_PROG_TEST_RUN on a
// zeroed frame; it looks K (and a missing key) up and leaves what it read in
// .bss. Then load, alone, a program that writes through the lookup result.
//
// Observations: whether the program ran, whether each value it read is o0's
// ifindex / the entry program's id, whether the missing key was found, and
// the write program's load result and verifier line.
//
// Expectation: experiments/devmap-bpf-side-lookup.json.
#include "harness/libbpf_log.h"
#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "netns/netns_scope.h"

#include <bpf/bpf.h>

#include "devmap_contract.skel.h"
#include "devmap_prog.skel.h"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace xdplab {

namespace {
void update_or_throw(int map_fd, uint32_t key, const void *value, const char *what)
{
	if (bpf_map_update_elem(map_fd, &key, value, BPF_ANY))
		throw std::runtime_error(std::string("devmap update of ") + what + ": " + strerror(errno));
}

constexpr uint32_t kKey = 3;
constexpr uint32_t kMissingKey = 5;
} // namespace

struct SideLookupParams {
	bool hash;
};

class DevmapBpfSideLookup : public DeclaredExperiment<SideLookupParams> {
public:
	DevmapBpfSideLookup()
		: DeclaredExperiment("devmap-bpf-side-lookup",
				     {{"devmap", {.hash = false}}, {"devmap_hash", {.hash = true}}},
				     {"ran", "value4_is_ifindex", "value8_ifindex_is_ifindex", "value8_prog_is_id",
				      "missing_key_found", "write_loaded", "write_load_errno", "write_verifier_reason"})
	{
	}

	Plan plan(const SideLookupParams &p) const override
	{
		const std::string m4 = p.hash ? "dh4" : "dm4", m8 = p.hash ? "dh8" : "dm8";
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.veths = {{"dut", "o0", "dut", "r0"}};
		plan.steps = {"# load program xdp_lookup of build/bpf/devmap_contract.bpf.o alone (lookup.key = " +
				      std::to_string(kKey) + ", lookup.missing_key = " + std::to_string(kMissingKey) +
				      ") and build/bpf/devmap_prog.bpf.o (xdp_egress)",
			      "# inside <dut>: " + m4 + "[" + std::to_string(kKey) + "] = <ifindex of o0>, " + m8 + "[" +
				      std::to_string(kKey) + "] = {<ifindex of o0>, <fd of xdp_egress>}",
			      "# BPF_PROG_TEST_RUN xdp_lookup once on 64 zero bytes, then read its .bss (seen)",
			      std::string("# load program ") + (p.hash ? "xdp_write_hash" : "xdp_write_devmap") +
				      " alone (writes through the lookup result of " + m8 + ")"};
		bool hash = p.hash;
		plan.run = [hash](ProcedureContext &ctx) { return measure(ctx, hash); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, bool hash)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		const int ifindex = ctx.ifindex("o0");
		Measurement m;

		BpfObject<devmap_contract> obj("devmap_contract", ctx.events(), ident, [&](devmap_contract &s) {
			load_only_program(s.obj, "xdp_lookup");
			s.rodata->lookup.use_hash = hash;
			s.rodata->lookup.key = kKey;
			s.rodata->lookup.missing_key = kMissingKey;
		});
		BpfObject<devmap_prog> entry("devmap_prog", ctx.events(), ident, [](devmap_prog &) {});
		const int entry_fd = bpf_program__fd(entry->progs.xdp_egress);
		const unsigned entry_id = prog_id_of(entry_fd);
		{
			NetnsScope scope(ctx.netns("dut"));
			__u32 v4 = static_cast<__u32>(ifindex);
			bpf_devmap_val v8{};
			v8.ifindex = v4;
			v8.bpf_prog.fd = entry_fd;
			update_or_throw(bpf_map__fd(hash ? obj->maps.dh4 : obj->maps.dm4), kKey, &v4, "4-byte map");
			update_or_throw(bpf_map__fd(hash ? obj->maps.dh8 : obj->maps.dm8), kKey, &v8, "8-byte map");
		}

		unsigned char frame[64] = {};
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = sizeof(frame), .repeat = 1);
		if (bpf_prog_test_run_opts(bpf_program__fd(obj->progs.xdp_lookup), &run))
			throw std::runtime_error(std::string("BPF_PROG_TEST_RUN of xdp_lookup: ") + strerror(errno));
		const auto &seen = obj->bss->seen;

		m.observations["ran"] = seen.ran == 1;
		m.observations["value4_is_ifindex"] = seen.found4 && seen.ifindex4 == static_cast<__u32>(ifindex);
		m.observations["value8_ifindex_is_ifindex"] = seen.found8 && seen.ifindex8 == static_cast<__u32>(ifindex);
		m.observations["value8_prog_is_id"] = seen.found8 && seen.prog_id8 == entry_id;
		m.observations["missing_key_found"] = seen.missing_found != 0;
		m.evidence = {{"ifindex", ifindex},
			      {"entry_prog_id", entry_id},
			      {"entry_prog_fd", entry_fd},
			      {"test_run_retval", run.retval},
			      {"seen",
			       {{"ran", seen.ran},
				{"found4", seen.found4},
				{"ifindex4", seen.ifindex4},
				{"found8", seen.found8},
				{"ifindex8", seen.ifindex8},
				{"prog_id8", seen.prog_id8},
				{"missing_found", seen.missing_found}}}};

		const std::string writer = hash ? "xdp_write_hash" : "xdp_write_devmap";
		try {
			BpfObject<devmap_contract> w("devmap_contract", ctx.events(), ident,
						     [&](devmap_contract &s) { load_only_program(s.obj, writer); });
			m.observations["write_loaded"] = true;
			m.observations["write_load_errno"] = 0;
			m.observations["write_verifier_reason"] = "";
		} catch (const BpfLoadError &e) {
			m.observations["write_loaded"] = false;
			m.observations["write_load_errno"] = e.err;
			m.observations["write_verifier_reason"] = verifier_reason(e.log);
			m.evidence["write_libbpf_log"] = e.log;
		}
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapBpfSideLookup);

} // namespace xdplab
