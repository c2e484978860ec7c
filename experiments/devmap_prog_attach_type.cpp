// devmap-prog-attach-type
//
// Claims (seed 001, map_devmap.rst: "The program associated with the fd must
// have type XDP with expected attach type xdp_devmap"; seed 002: "Programs
// attached to a devmap must be loaded with the BPF_XDP_DEVMAP expected attach
// type"). The converse is in the kernel, not the documents: a BPF_XDP_DEVMAP
// program cannot be attached to a device, and only such a program may read
// ctx->egress_ifindex (kernel-history rows 1 and 10).
//
// Topology: one namespace with a veth pair: o0 is the device entries point
// at and the device the entry program is offered to.
//
// Subtests:
//   entry_wrong_type: store the redirect chain's xdp_ingress (SEC("xdp"),
//     expected attach type BPF_XDP) in a DEVMAP and a DEVMAP_HASH entry, and,
//     as the control, the entry program xdp_egress (BPF_XDP_DEVMAP).
//   devmap_prog_on_device: attach xdp_egress to o0 natively, in generic mode
//     (netlink, with the kernel's extack message) and through a bpf_link.
//   plain_prog_egress_ifindex: load a SEC("xdp") program that reads
//     ctx->egress_ifindex (bpf/devmap_contract.bpf.c, alone).
//
// Observations, in every subtest: `errno` of the refused step (per map type,
// per attach way), `message`, the kernel's own words (extack, or the
// verifier's reason line) and `control_errno`, the same step with the program
// of the right kind (entry program in the map, plain program on the device,
// entry program reading egress_ifindex), so that a refusal is about the
// program and not about the step.
//
// Expectation: experiments/devmap-prog-attach-type.json.
#include "harness/libbpf_log.h"
#include "harness/bench_programs.h"
#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "harness/xdp_attach.h"
#include "netns/netns_scope.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include "devmap_contract.skel.h"
#include "devmap_prog.skel.h"

#include <cerrno>
#include <sstream>

namespace xdplab {

enum class AttachCase { EntryWrongType, DevmapProgOnDevice, PlainProgEgressIfindex };

struct AttachTypeParams {
	AttachCase what;
};

class DevmapProgAttachType : public DeclaredExperiment<AttachTypeParams> {
public:
	DevmapProgAttachType()
		: DeclaredExperiment("devmap-prog-attach-type",
				     {{"entry_wrong_type", {.what = AttachCase::EntryWrongType}},
				      {"devmap_prog_on_device", {.what = AttachCase::DevmapProgOnDevice}},
				      {"plain_prog_egress_ifindex", {.what = AttachCase::PlainProgEgressIfindex}}},
				     {"errno", "message", "control_errno"})
	{
	}

	Plan plan(const AttachTypeParams &p) const override
	{
		ProcedurePlan plan;
		if (p.what != AttachCase::PlainProgEgressIfindex) {
			plan.namespaces = {"dut"};
			plan.veths = {{"dut", "o0", "dut", "r0"}};
		}
		switch (p.what) {
		case AttachCase::EntryWrongType:
			plan.steps = {"# load build/bpf/redirect_chain.bpf.o (8-byte devmap values) and "
				      "build/bpf/devmap_prog.bpf.o",
				      "# inside <dut>: tx_array[1] and tx_hash[1] = {<ifindex of o0>, <fd of xdp_ingress>}; "
				      "tx_array[2] and tx_hash[2] = {<ifindex of o0>, <fd of xdp_egress>}; record errno"};
			plan.run = [](ProcedureContext &ctx) { return entry_wrong_type(ctx); };
			break;
		case AttachCase::DevmapProgOnDevice:
			plan.steps = {"# load build/bpf/devmap_prog.bpf.o (xdp_egress, BPF_XDP_DEVMAP), id P",
				      XdpAttachment::command("<dut>", "o0", 0, XdpMode::Native),
				      XdpAttachment::command("<dut>", "o0", 0, XdpMode::Generic),
				      "# inside <dut>: bpf_link_create(<fd of xdp_egress>, <ifindex of o0>, BPF_XDP)",
				      "# control: the same native attach with build/bpf/redirect_chain.bpf.o's xdp_ingress"};
			plan.run = [](ProcedureContext &ctx) { return devmap_prog_on_device(ctx); };
			break;
		case AttachCase::PlainProgEgressIfindex:
			plan.steps = {"# load program xdp_plain_egress_ifindex of build/bpf/devmap_contract.bpf.o alone "
				      "(SEC(\"xdp\"), reads ctx->egress_ifindex); record errno and the verifier log's "
				      "last line",
				      "# control: load build/bpf/devmap_prog.bpf.o (xdp_egress reads it as BPF_XDP_DEVMAP)"};
			plan.run = [](ProcedureContext &ctx) { return plain_prog_egress_ifindex(ctx); };
			break;
		}
		return plan;
	}

private:
	// errno of storing the plain program in each map type; the control
	// stores the BPF_XDP_DEVMAP program the same way. A map update has no
	// extack: the errno is all the kernel says.
	static Measurement entry_wrong_type(ProcedureContext &ctx)
	{
		BenchPlan shape;
		shape.entries = {{Devmap::Array, 0, "o0", true}}; // 8-byte values and the entry program
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BenchPrograms progs(shape, ident, ctx.events());
		const int ifindex = ctx.ifindex("o0");

		auto store = [&](Devmap d, uint32_t key, int prog_fd) {
			NetnsScope scope(ctx.netns("dut"));
			bpf_devmap_val v{};
			v.ifindex = static_cast<__u32>(ifindex);
			v.bpf_prog.fd = prog_fd;
			return bpf_map_update_elem(progs.devmap_fd(d), &key, &v, BPF_ANY) ? errno : 0;
		};
		Measurement m;
		m.observations["errno"] = {{"devmap", store(Devmap::Array, 1, progs.ingress_fd())},
					   {"devmap_hash", store(Devmap::Hash, 1, progs.ingress_fd())}};
		m.observations["message"] = "";
		m.observations["control_errno"] = {{"devmap", store(Devmap::Array, 2, progs.entry_fd())},
						   {"devmap_hash", store(Devmap::Hash, 2, progs.entry_fd())}};
		m.evidence = {{"ifindex", ifindex},
			      {"plain_prog", {{"name", "xdp_ingress"}, {"section", "xdp"}, {"id", progs.ids().ingress}}},
			      {"devmap_prog", {{"name", "xdp_egress"}, {"section", "xdp/devmap"}, {"id", progs.ids().entry}}}};
		return m;
	}

	// errno and extack of each way onto a device; the control attaches the
	// redirect chain's plain program natively to the same link. The refused
	// attempts take well under a millisecond; the control's attach and detach
	// are most of this subtest's time (20-30 ms on 6.18, in native and in
	// generic mode alike, measured; the kernel synchronizes on the switch).
	static Measurement devmap_prog_on_device(ProcedureContext &ctx)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BpfObject<devmap_prog> entry("devmap_prog", ctx.events(), ident, [](devmap_prog &) {});
		const int fd = bpf_program__fd(entry->progs.xdp_egress);
		const std::string ns = ctx.netns("dut"), link = ctx.link("o0");
		json errnos = json::object(), messages = json::object();

		auto attach = [&](int prog_fd, XdpMode mode, json *err, json *msg) {
			AttachFailure failure;
			auto attached = XdpAttachment::try_attach(ns, link, prog_fd, mode, failure);
			*err = attached ? 0 : failure.err;
			if (msg)
				*msg = attached ? "" : failure.message;
			if (attached)
				if (auto problem = attached->detach())
					throw std::runtime_error(*problem);
		};
		for (XdpMode mode : {XdpMode::Native, XdpMode::Generic})
			attach(fd, mode, &errnos[to_string(mode)], &messages[to_string(mode)]);

		// bpf_link_create() has no extack to hand back.
		int link_fd, link_err = 0;
		{
			NetnsScope scope(ns);
			link_fd = bpf_link_create(fd, ctx.ifindex("o0"), BPF_XDP, nullptr);
			if (link_fd < 0)
				link_err = -link_fd;
		}
		if (link_fd >= 0)
			close(link_fd); // the link's only fd: closing it detaches
		errnos["link"] = link_err;

		Measurement m;
		m.observations["errno"] = errnos;
		m.observations["message"] = messages;
		BenchPrograms plain(BenchPlan{}, ident, ctx.events());
		attach(plain.ingress_fd(), XdpMode::Native, &m.observations["control_errno"], nullptr);
		const char *type = libbpf_bpf_attach_type_str(bpf_program__expected_attach_type(entry->progs.xdp_egress));
		m.evidence = {{"prog_id", prog_id_of(fd)}, {"expected_attach_type", type ? type : "?"}};
		return m;
	}

	// The verifier's verdict on a plain program reading egress_ifindex; the
	// control is the BPF_XDP_DEVMAP entry program, which reads it too.
	static Measurement plain_prog_egress_ifindex(ProcedureContext &ctx)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		Measurement m;
		try {
			BpfObject<devmap_contract> obj("devmap_contract", ctx.events(), ident, [](devmap_contract &s) {
				bpf_program *p;
				bpf_object__for_each_program(p, s.obj)
					bpf_program__set_autoload(p, p == s.progs.xdp_plain_egress_ifindex);
			});
			m.observations["errno"] = 0;
			m.observations["message"] = "";
		} catch (const BpfLoadError &e) {
			m.observations["errno"] = e.err;
			m.observations["message"] = verifier_reason(e.log);
			m.evidence["libbpf_log"] = e.log;
		}
		try {
			BpfObject<devmap_prog> entry("devmap_prog", ctx.events(), ident, [](devmap_prog &) {});
			m.observations["control_errno"] = 0;
		} catch (const BpfLoadError &e) {
			m.observations["control_errno"] = e.err;
			m.evidence["control_libbpf_log"] = e.log;
		}
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapProgAttachType);

} // namespace xdplab
