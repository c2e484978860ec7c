// devmap-prog-attach-type
//
// Claims (seed 001, map_devmap.rst: "The program associated with the fd must
// have type XDP with expected attach type xdp_devmap"; seed 002: "Programs
// attached to a devmap must be loaded with the BPF_XDP_DEVMAP expected attach
// type"). The converse is in the kernel, not the documents: a BPF_XDP_DEVMAP
// program cannot be attached to a device, and only such a program may read
// ctx->egress_ifindex (kernel-history rows 1 and 10).
//
// Observations, in every subtest: `errno` of the refused step (per map type,
// per way onto a device), `message` (extack or the verifier's reason) and
// `control_errno`, the same step with the program of the right kind, so that a
// refusal is about the program and not about the step.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"
#include "harness/observe.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

namespace xdplab {

enum class AttachCase { EntryWrongType, DevmapProgOnDevice, PlainProgEgressIfindex };

struct AttachTypeParams {
	AttachCase what;
};

class DevmapProgAttachType : public DeclaredExperiment<AttachTypeParams> {
public:
	DevmapProgAttachType()
		: DeclaredExperiment("devmap-prog-attach-type",
				     {{"entry_wrong_type", {AttachCase::EntryWrongType}},
				      {"devmap_prog_on_device", {AttachCase::DevmapProgOnDevice}},
				      {"plain_prog_egress_ifindex", {AttachCase::PlainProgEgressIfindex}}},
				     {"errno", "message", "control_errno"})
	{
	}

	Plan plan(const AttachTypeParams &p) const override
	{
		if (p.what == AttachCase::EntryWrongType)
			return ProcedurePlan{.network = true, .run = entry_wrong_type};
		if (p.what == AttachCase::DevmapProgOnDevice)
			return ProcedurePlan{.network = true, .run = devmap_prog_on_device};
		return ProcedurePlan{.run = plain_prog_egress_ifindex};
	}

private:
	// A plain program stored in a devmap entry; the control stores the
	// BPF_XDP_DEVMAP program. A map update has no extack: the errno is all.
	static void entry_wrong_type(Lab &lab)
	{
		const LabObject &chain = lab.load("redirect_chain.bpf.o"), &entry = lab.load("devmap_prog.bpf.o");
		auto store = [&](const char *map, uint32_t key, int prog) {
			return errno_number(lab.step(std::string(map) + "[" + std::to_string(key) + "] = {o0, a program}", [&] {
				bpf_devmap_val v{};
				v.ifindex = static_cast<__u32>(lab.ifindex("o0"));
				v.bpf_prog.fd = prog;
				return bpf_map_update_elem(chain.map_fd(map), &key, &v, BPF_ANY);
			}));
		};
		const int plain = chain.fd("xdp_ingress"), devmap_prog = entry.fd("xdp_egress");
		lab.observe("errno", {{"devmap", store("tx_array", 1, plain)}, {"devmap_hash", store("tx_hash", 1, plain)}});
		lab.observe("message", "");
		lab.observe("control_errno",
			    {{"devmap", store("tx_array", 2, devmap_prog)}, {"devmap_hash", store("tx_hash", 2, devmap_prog)}});
		lab.note("prog_ids", {{"xdp_ingress", chain.id("xdp_ingress")}, {"xdp_egress", entry.id("xdp_egress")}});
	}

	// The BPF_XDP_DEVMAP program onto a device, natively, generically (with
	// the kernel's extack) and through a bpf_link (no extack to hand back);
	// the control attaches the plain program natively.
	static void devmap_prog_on_device(Lab &lab)
	{
		const int fd = lab.load("devmap_prog.bpf.o").fd("xdp_egress");
		json errnos, messages;
		for (XdpMode mode : {XdpMode::Native, XdpMode::Generic}) {
			AttachFailure f = lab.try_attach("o0", fd, mode);
			errnos[to_string(mode)] = f.err;
			messages[to_string(mode)] = f.message;
		}
		errnos["link"] = errno_number(lab.step("bpf_link_create(xdp_egress, o0, BPF_XDP)", [&] {
			int link = bpf_link_create(fd, lab.ifindex("o0"), BPF_XDP, nullptr);
			if (link >= 0)
				close(link); // its only fd: closing it detaches
			return link < 0 ? link : 0;
		}));
		lab.observe("errno", errnos);
		lab.observe("message", messages);
		lab.observe("control_errno", lab.try_attach("o0", lab.load("redirect_chain.bpf.o").fd("xdp_ingress"),
							    XdpMode::Native).err);
	}

	// A plain program reading egress_ifindex; the control is the entry
	// program, which reads it as BPF_XDP_DEVMAP.
	static void plain_prog_egress_ifindex(Lab &lab)
	{
		LoadOutcome plain = lab.try_load("devmap_contract.bpf.o", {"xdp_plain_egress_ifindex"});
		lab.observe("errno", plain.err);
		lab.observe("message", plain.verifier);
		lab.observe("control_errno", lab.try_load("devmap_prog.bpf.o", {}).err);
		if (plain.err)
			lab.note("libbpf_log", plain.log);
	}
};

XDPLAB_EXPERIMENT(DevmapProgAttachType);

} // namespace xdplab
