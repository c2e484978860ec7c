// devmap-lookup-prog-id
//
// Claim (seed 001, map_devmap.rst, struct bpf_devmap_val): the second word is
// "prog fd on map write" and "prog id on map read". The kernel keeps the
// program, not the caller's fd, and answers a lookup with its id
// (__dev_map_alloc_node() stores prog->aux->id, 0 without a program).
//
// Topology: one namespace with a veth pair (entries must name a device, and
// updates resolve the ifindex in the caller's namespace).
//
// Procedure: load the redirect chain with 8-byte values and the devmap entry
// program (BenchPrograms); inside the namespace write key 1 = {o0, fd of the
// entry program}, where the fd is made to differ from the program's id, and
// key 2 = {o0, 0}; read both back from user space.
//
// Observations: whether the word read back for key 1 is the id from
// BPF_OBJ_GET_INFO_BY_FD, whether it is the fd that was written, the word
// for key 2, and whether the ifindex reads back unchanged.
//
// Expectation: experiments/devmap-lookup-prog-id.json.
#include "harness/bench_programs.h"
#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "netns/netns_scope.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace xdplab {

struct LookupProgIdParams {
	Devmap map;
};

class DevmapLookupProgId : public DeclaredExperiment<LookupProgIdParams> {
public:
	DevmapLookupProgId()
		: DeclaredExperiment("devmap-lookup-prog-id",
				     {{"devmap", {.map = Devmap::Array}}, {"devmap_hash", {.map = Devmap::Hash}}},
				     {"prog_word_is_id", "prog_word_is_fd", "ifindex_read_back", "no_prog_word"})
	{
	}

	Plan plan(const LookupProgIdParams &p) const override
	{
		const std::string map = p.map == Devmap::Hash ? "tx_hash" : "tx_array";
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.veths = {{"dut", "o0", "dut", "r0"}};
		plan.steps = {"# load build/bpf/redirect_chain.bpf.o (" + map + " with 8-byte values) and "
			      "build/bpf/devmap_prog.bpf.o; P = id of xdp_egress (BPF_OBJ_GET_INFO_BY_FD), F = an fd "
			      "of xdp_egress other than P",
			      "# inside <dut>: " + map + "[1] = {<ifindex of o0>, F}; " + map + "[2] = {<ifindex of o0>, 0}",
			      "# user-space lookup of keys 1 and 2: compare the second word with P and F"};
		Devmap d = p.map;
		plan.run = [d](ProcedureContext &ctx) { return measure(ctx, d); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, Devmap d)
	{
		const int ifindex = ctx.ifindex("o0");
		BenchPlan shape;
		shape.entries = {{d, 0, "o0", true}}; // 8-byte values and the entry program
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BenchPrograms progs(shape, ident, ctx.events());
		const unsigned id = prog_id_of(progs.entry_fd());
		const int map_fd = progs.devmap_fd(d);

		// An fd equal to the id would make the two readings the same number.
		int fd = progs.entry_fd(), dup_fd = -1;
		if (static_cast<unsigned>(fd) == id) {
			dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
			if (dup_fd < 0)
				throw std::runtime_error(std::string("dup of the entry program fd: ") + strerror(errno));
			fd = dup_fd;
		}

		bpf_devmap_val with{}, without{}, got_with{}, got_without{};
		with.ifindex = without.ifindex = static_cast<__u32>(ifindex);
		with.bpf_prog.fd = fd;
		int err = 0;
		{
			NetnsScope scope(ctx.netns("dut"));
			__u32 k1 = 1, k2 = 2;
			if (bpf_map_update_elem(map_fd, &k1, &with, BPF_ANY) ||
			    bpf_map_update_elem(map_fd, &k2, &without, BPF_ANY))
				err = errno;
		}
		if (dup_fd >= 0)
			close(dup_fd);
		if (err)
			throw std::runtime_error(std::string("devmap update: ") + strerror(err));
		__u32 k1 = 1, k2 = 2;
		if (bpf_map_lookup_elem(map_fd, &k1, &got_with) || bpf_map_lookup_elem(map_fd, &k2, &got_without))
			throw std::runtime_error(std::string("devmap lookup: ") + strerror(errno));

		Measurement m;
		m.observations["prog_word_is_id"] = got_with.bpf_prog.id == id;
		m.observations["prog_word_is_fd"] = got_with.bpf_prog.fd == fd;
		m.observations["ifindex_read_back"] =
			got_with.ifindex == static_cast<__u32>(ifindex) && got_without.ifindex == static_cast<__u32>(ifindex);
		m.observations["no_prog_word"] = got_without.bpf_prog.id;
		m.evidence = {{"ifindex", ifindex},
			      {"prog_id", id},
			      {"prog_fd_written", fd},
			      {"read_with_prog", {{"ifindex", got_with.ifindex}, {"prog", got_with.bpf_prog.id}}},
			      {"read_without_prog", {{"ifindex", got_without.ifindex}, {"prog", got_without.bpf_prog.id}}}};
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapLookupProgId);

} // namespace xdplab
