// devmap-bpf-side-update
//
// Claim (seed 001, map_devmap.rst): "DEVMAP entries can only be updated/
// deleted from user space and not from an eBPF program. Trying to call these
// functions from a kernel eBPF program will result in the program failing to
// load and a verifier warning."
//
// Procedure: load one XDP program of bpf/devmap_contract.bpf.c that calls
// bpf_map_update_elem or bpf_map_delete_elem on an 8-byte DEVMAP or
// DEVMAP_HASH (the object's other programs are not loaded, so the refusal is
// this program's own).
//
// Observations: whether it loaded, the load errno and the verifier's line
// that carries the reason. Two checks in the verifier can refuse the call:
// record_func_map() ("write into map forbidden", -EACCES: devmaps are created
// with BPF_F_RDONLY_PROG forced since 5.3) runs before
// check_map_func_compatibility() ("cannot pass map_type N into func ...",
// -EINVAL), so which one speaks is what this measures.
//
// Expectation: experiments/devmap-bpf-side-update.json.
#include "harness/libbpf_log.h"
#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"

#include "devmap_contract.skel.h"

#include <sstream>

namespace xdplab {

struct SideUpdateParams {
	const char *program;
	const char *map;
};

class DevmapBpfSideUpdate : public DeclaredExperiment<SideUpdateParams> {
public:
	DevmapBpfSideUpdate()
		: DeclaredExperiment("devmap-bpf-side-update",
				     {{"update", {.program = "xdp_update_devmap", .map = "DEVMAP"}},
				      {"delete", {.program = "xdp_delete_devmap", .map = "DEVMAP"}},
				      {"hash_update", {.program = "xdp_update_hash", .map = "DEVMAP_HASH"}},
				      {"hash_delete", {.program = "xdp_delete_hash", .map = "DEVMAP_HASH"}}},
				     {"loaded", "load_errno", "verifier_reason"})
	{
	}

	Plan plan(const SideUpdateParams &p) const override
	{
		ProcedurePlan plan;
		plan.steps = {std::string("# load program ") + p.program + " of build/bpf/devmap_contract.bpf.o alone "
			      "(a helper call on an 8-byte " + p.map + "; the object's other programs have autoload "
			      "off) and record the errno and the verifier log's last line"};
		std::string program = p.program;
		plan.run = [program](ProcedureContext &ctx) { return measure(ctx, program); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const std::string &program)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		Measurement m;
		try {
			BpfObject<devmap_contract> obj("devmap_contract", ctx.events(), ident,
						       [&](devmap_contract &s) { load_only_program(s.obj, program); });
			m.observations["loaded"] = true;
			m.observations["load_errno"] = 0;
			m.observations["verifier_reason"] = "";
		} catch (const BpfLoadError &e) {
			m.observations["loaded"] = false;
			m.observations["load_errno"] = e.err;
			m.observations["verifier_reason"] = verifier_reason(e.log);
			m.evidence["libbpf_log"] = e.log;
		}
		m.evidence["program"] = program;
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapBpfSideUpdate);

} // namespace xdplab
