// devmap-lookup-prog-id
//
// Claim (seed 001, map_devmap.rst, struct bpf_devmap_val): the second word is
// "prog fd on map write" and "prog id on map read". The kernel keeps the
// program, not the caller's fd, and answers a lookup with its id
// (__dev_map_alloc_node() stores prog->aux->id, 0 without a program).
//
// Observations: whether the word read back for an entry written with the
// entry program's fd is the program's id (BPF_OBJ_GET_INFO_BY_FD), whether it
// is the fd written, the word of an entry without a program, and whether the
// ifindex reads back unchanged.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"

#include <bpf/bpf.h>
#include <fcntl.h>

namespace xdplab {

struct LookupProgIdParams {
	const char *map;
};

class DevmapLookupProgId : public DeclaredExperiment<LookupProgIdParams> {
public:
	DevmapLookupProgId()
		: DeclaredExperiment("devmap-lookup-prog-id", {{"devmap", {"tx_array"}}, {"devmap_hash", {"tx_hash"}}},
				     {"prog_word_is_id", "prog_word_is_fd", "ifindex_read_back", "no_prog_word"})
	{
	}

	Plan plan(const LookupProgIdParams &p) const override
	{
		return ProcedurePlan{.network = true, .run = [p](Lab &lab) { run(lab, p.map); }};
	}

private:
	static void run(Lab &lab, const std::string &map)
	{
		// The redirect chain's devmaps have 8-byte values (bpf_devmap_val).
		const LabObject &chain = lab.load("redirect_chain.bpf.o"), &entry = lab.load("devmap_prog.bpf.o");
		const unsigned id = entry.id("xdp_egress");
		const __u32 o0 = lab.ifindex("o0");
		// An fd equal to the id would make the two readings the same number.
		int fd = entry.fd("xdp_egress");
		if (static_cast<unsigned>(fd) == id)
			fd = lab.create("a copy of the entry program's fd", [&] { return fcntl(fd, F_DUPFD_CLOEXEC, 3); });

		bpf_devmap_val with{}, without{}, got_with{}, got_without{};
		with.ifindex = without.ifindex = o0;
		with.bpf_prog.fd = fd;
		auto put = [&](uint32_t key, const bpf_devmap_val &v) {
			return bpf_map_update_elem(chain.map_fd(map), &key, &v, BPF_ANY);
		};
		auto get = [&](uint32_t key, bpf_devmap_val &v) { return bpf_map_lookup_elem(chain.map_fd(map), &key, &v); };
		lab.must(map + "[1] = {o0, fd of xdp_egress}", [&] { return put(1, with); });
		lab.must(map + "[2] = {o0, no program}", [&] { return put(2, without); });
		lab.must("look key 1 up", [&] { return get(1, got_with); });
		lab.must("look key 2 up", [&] { return get(2, got_without); });

		lab.observe("prog_word_is_id", got_with.bpf_prog.id == id);
		lab.observe("prog_word_is_fd", got_with.bpf_prog.fd == fd);
		lab.observe("ifindex_read_back", got_with.ifindex == o0 && got_without.ifindex == o0);
		lab.observe("no_prog_word", got_without.bpf_prog.id);
		lab.note("prog", {{"id", id}, {"fd_written", fd}, {"read", got_with.bpf_prog.id}});
	}
};

XDPLAB_EXPERIMENT(DevmapLookupProgId);

} // namespace xdplab
