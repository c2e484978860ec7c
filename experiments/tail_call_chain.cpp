// tail-call-chain
//
// Claim (seed 004, the XDP skeleton): programs chained through the
// PROG_ARRAY jmp_map all run ("Loading tail call jumps ... Trying to insert
// (3) into position (2) in jmp_map"). History (kernel-history row 10): a
// PROG_ARRAY takes only programs compatible with its owner, the first
// program that used it: same type and JIT state (f45d5b6ce2e8, 5.18,
// generalised the check), and since 4540aed51b12 (6.18, "bpf: Enforce
// expected_attach_type for tailcall compatibility", CVE-2025-40123, with
// stable backports) the same expected attach type.
//
// Topology: none is needed; one namespace so the procedure has a place.
//
// Procedure: load tail_calls.bpf.o (xdp_stage1 and xdp_stage2 use jmp_map
// and own it as plain XDP programs), jmp_map[1] = xdp_stage2,
// jmp_map[2] = xdp_stage3, BPF_PROG_TEST_RUN xdp_stage1 on one tagged frame
// (subtest chain). Subtest mismatched_attach_type: jmp_map[2] =
// xdp_devmap_target (expected attach type BPF_XDP_DEVMAP); if the kernel
// takes it, test-run xdp_stage1 again to see whether it runs.
//
// Observations: stages_reached (the stages that counted a run), retval (the
// chain's XDP action), update_errno (of the mismatched update; 0 if taken).
//
// Expectation: experiments/tail-call-chain.json.
#include "harness/bpf_object.h"
#include "harness/experiment.h"
#include "harness/frame.h"

#include "tail_calls.skel.h"

#include <bpf/bpf.h>

#include <cerrno>

namespace xdplab {

struct TailCallParams {
	bool mismatched = false;
};

class TailCallChain : public DeclaredExperiment<TailCallParams> {
public:
	TailCallChain()
		: DeclaredExperiment("tail-call-chain",
				     {{"chain", {.mismatched = false}}, {"mismatched_attach_type", {.mismatched = true}}},
				     {"stages_reached", "retval", "update_errno"})
	{
	}

	Plan plan(const TailCallParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.steps = {"# load build/bpf/tail_calls.bpf.o",
			      "# jmp_map[1] = fd of xdp_stage2, jmp_map[2] = fd of xdp_stage3 (BPF_MAP_UPDATE_ELEM)"};
		if (p.mismatched)
			plan.steps.push_back("# jmp_map[2] = xdp_devmap_target (expected attach type BPF_XDP_DEVMAP): "
					     "the errno of the update");
		plan.steps.push_back("# BPF_PROG_TEST_RUN xdp_stage1 on one frame; read stage_hits");
		plan.run = [p](ProcedureContext &ctx) { return measure(ctx, p); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const TailCallParams &p)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BpfObject<tail_calls> obj("tail_calls", ctx.events(), ident, [](tail_calls &) {});
		const int jmp = bpf_map__fd(obj->maps.jmp_map);
		auto put = [&](uint32_t key, bpf_program *prog) {
			int fd = bpf_program__fd(prog);
			return bpf_map_update_elem(jmp, &key, &fd, BPF_ANY) == 0 ? 0 : errno;
		};
		if (int e = put(1, obj->progs.xdp_stage2))
			throw std::runtime_error(std::string("jmp_map[1] = xdp_stage2: ") + strerror(e));
		if (int e = put(2, obj->progs.xdp_stage3))
			throw std::runtime_error(std::string("jmp_map[2] = xdp_stage3: ") + strerror(e));

		Measurement m;
		if (p.mismatched) {
			int e = put(2, obj->progs.xdp_devmap_target);
			m.observations["update_errno"] = e;
			m.evidence["update_error"] = e ? strerror(e) : "";
		}

		std::vector<uint8_t> frame = build_frame(tagged_frame_spec(ctx.run_tag(), ctx.case_id()));
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(), .data_size_in = (uint32_t)frame.size(),
			    .repeat = 1);
		if (bpf_prog_test_run_opts(bpf_program__fd(obj->progs.xdp_stage1), &opts) != 0)
			throw std::runtime_error(std::string("BPF_PROG_TEST_RUN: ") + strerror(errno));

		json stages = json::array(), hits = json::object();
		const int hits_fd = bpf_map__fd(obj->maps.stage_hits);
		for (uint32_t stage = 1; stage <= 4; ++stage) {
			uint64_t v = 0;
			bpf_map_lookup_elem(hits_fd, &stage, &v);
			hits[std::to_string(stage)] = v;
			if (v)
				stages.push_back(stage);
		}
		m.observations["stages_reached"] = stages;
		m.observations["retval"] = opts.retval;
		if (!p.mismatched)
			m.observations["update_errno"] = nullptr;
		m.evidence["stage_hits"] = hits;
		m.evidence["prog_ids"] = {{"xdp_stage1", prog_id_of(bpf_program__fd(obj->progs.xdp_stage1))},
					  {"xdp_stage2", prog_id_of(bpf_program__fd(obj->progs.xdp_stage2))},
					  {"xdp_stage3", prog_id_of(bpf_program__fd(obj->progs.xdp_stage3))},
					  {"xdp_devmap_target",
					   prog_id_of(bpf_program__fd(obj->progs.xdp_devmap_target))}};
		m.evidence["stages"] = "1 xdp_stage1, 2 xdp_stage2, 3 xdp_stage3, 4 xdp_devmap_target";
		return m;
	}
};

XDPLAB_EXPERIMENT(TailCallChain);

} // namespace xdplab
