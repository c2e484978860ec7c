// bpftool-devmap-prog-entry
//
// Claim (seed 000): "bpftool is unable to update entry in DEVMAP where
// prog_id != 0". bpftool passes the value bytes as they are; the kernel reads
// the second word of bpf_devmap_val as a program *fd* in bpftool's own
// process (0 means none), where no such fd exists, so an entry with a program
// cannot be written with bpftool. Lookups return the program *id* in that
// word (kernel-history row 10).
//
// Observations: exit status and error line of bpftool's update naming the
// program, exit status of one without it, whether a lookup with bpftool
// shows the program id of an entry libbpf wrote with the program's fd, and
// whether bpftool could set an entry program at all.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"

#include <bpf/bpf.h>
#include <sstream>

namespace xdplab {

struct BpftoolParams {};

class BpftoolDevmapProgEntry : public DeclaredExperiment<BpftoolParams> {
public:
	BpftoolDevmapProgEntry()
		: DeclaredExperiment("bpftool-devmap-prog-entry", {{"update_with_prog", {}}},
				     {"bpftool_can_set_entry_prog", "update_with_prog_exit", "update_with_prog_error",
				      "update_without_prog_exit", "lookup_shows_prog_id"})
	{
	}

	Plan plan(const BpftoolParams &) const override { return ProcedurePlan{.network = true, .run = run}; }

private:
	static void run(Lab &lab)
	{
		// The redirect chain's devmaps have 8-byte values (bpf_devmap_val).
		const LabObject &chain = lab.load("redirect_chain.bpf.o"), &entry = lab.load("devmap_prog.bpf.o");
		const std::string map = std::to_string(chain.map_id("tx_array")), tool = "bpftool";
		const uint32_t o0 = lab.ifindex("o0"), prog_id = entry.id("xdp_egress");
		// bpftool takes a key and a value as their bytes, little-endian.
		auto bpftool = [&](std::vector<std::string> argv, uint32_t key, std::vector<uint32_t> words) {
			argv.insert(argv.begin(), tool);
			words.insert(words.begin(), key);
			for (size_t w = 0; w < words.size(); ++w)
				for (int i = (w == 1 ? -1 : 0); i < 4; ++i) // "value" before the value's bytes
					argv.push_back(i < 0 ? "value" : std::to_string((words[w] >> (8 * i)) & 0xff));
			return lab.tool(argv);
		};
		CommandResult with = bpftool({"map", "update", "id", map, "key"}, 1, {o0, prog_id}),
			      without = bpftool({"map", "update", "id", map, "key"}, 2, {o0, 0});
		lab.must("tx_array[3] = {o0, fd of xdp_egress}, with libbpf", [&, key = 3u] {
			bpf_devmap_val v{.ifindex = o0, .bpf_prog = {.fd = entry.fd("xdp_egress")}};
			return bpf_map_update_elem(chain.map_fd("tx_array"), &key, &v, BPF_ANY);
		});
		CommandResult lookup = bpftool({"-j", "map", "lookup", "id", map, "key"}, 3, {});
		json looked = json::parse(lookup.output, nullptr, false);
		uint32_t word = 0; // the value's second word, as bpftool prints the bytes
		for (size_t i = 0; looked.is_object() && looked.contains("value") && i < 4; ++i)
			word |= static_cast<uint32_t>(std::stoul(looked["value"][4 + i].get<std::string>(), nullptr, 16)) << (8 * i);

		std::string error = with.output, line; // bpftool's first "Error:" line
		for (std::istringstream in(with.output); std::getline(in, line) && error == with.output;)
			error = line.rfind("Error:", 0) == 0 ? line : error;
		lab.observe("bpftool_can_set_entry_prog", with.exit_code == 0);
		lab.observe("update_with_prog_exit", with.exit_code);
		lab.observe("update_with_prog_error", with.exit_code ? error : "");
		lab.observe("update_without_prog_exit", without.exit_code);
		lab.observe("lookup_shows_prog_id", word == prog_id);
		lab.note("outputs", {{"update_with_prog", with.output}, {"update_without_prog", without.output},
				     {"lookup", looked}, {"entry_prog_id", prog_id}});
	}
};

XDPLAB_EXPERIMENT(BpftoolDevmapProgEntry);

} // namespace xdplab
