// bpftool-devmap-prog-entry
//
// Claim (seed 000): "bpftool is unable to update entry in DEVMAP where
// prog_id != 0". bpftool passes the value bytes as they are; the kernel reads
// the second word of bpf_devmap_val as a program *fd* in bpftool's own
// process (fd == 0 means none), where no such program fd exists, so an entry
// with a program cannot be written with bpftool. Lookups return the program
// *id* in that word (kernel-history row 10).
//
// Topology: one namespace with a veth pair, to have a device to point at
// (devmap updates resolve the ifindex in the caller's namespace, so bpftool
// runs inside it).
//
// Procedure: load the staged object (its tx_array is a DEVMAP with 8-byte
// values, xdp_egress a BPF_XDP_DEVMAP program), then
//   a) bpftool map update ... value <ifindex> <xdp_egress id>
//   b) bpftool map update ... value <ifindex> 0
//   c) libbpf update with the program fd, read back with bpftool map lookup.
//
// Observations: exit status and error line of (a), exit status of (b),
// whether (c)'s lookup shows the program id, and whether bpftool could set
// an entry program at all.
//
// Expectation: experiments/bpftool-devmap-prog-entry.json.
#include "harness/command.h"
#include "harness/observe.h"
#include "netns/ifindex.h"
#include "netns/topology.h"

#include <sstream>

namespace xdplab {

namespace {
std::vector<std::string> le_bytes(uint32_t v)
{
	std::vector<std::string> out;
	for (int i = 0; i < 4; ++i)
		out.push_back(std::to_string((v >> (8 * i)) & 0xff));
	return out;
}

std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string> &b)
{
	a.insert(a.end(), b.begin(), b.end());
	return a;
}

std::string error_line(const std::string &out)
{
	std::istringstream in(out);
	std::string line;
	while (std::getline(in, line))
		if (line.rfind("Error:", 0) == 0)
			return line;
	return out;
}

uint32_t word_at(const json &bytes, size_t first)
{
	uint32_t v = 0;
	for (size_t i = 0; i < 4; ++i)
		v |= static_cast<uint32_t>(std::stoul(bytes.at(first + i).get<std::string>(), nullptr, 16)) << (8 * i);
	return v;
}
} // namespace

class BpftoolDevmapProgEntry : public Experiment {
public:
	std::string id() const override { return "bpftool-devmap-prog-entry"; }
	std::vector<std::string> subtests() const override { return {"update_with_prog"}; }

	Measurement run(const std::string &, Lab &lab) override
	{
		if (!lab.dry_run && !lab.caps["bpftool"])
			throw SkipSubtest("bpftool is not installed (Debian: apt-get install bpftool)");
		Topology topo(lab.run_id, lab.scope(), lab.dry_run);
		std::string ns = topo.add_namespace("dut");
		uint32_t slot = run_slot(lab.run_tag);
		auto links = topo.add_veth({ns, "o0", "02:58:4c:00:01:00", harness_ifindex(slot, lab.case_id, 0)},
					   {ns, "r0", "02:58:4c:00:02:00", harness_ifindex(slot, lab.case_id, 1)});
		topo.apply();
		int ifindex = topo.ifindex(ns, links.first);
		const std::string tool = lab.dry_run ? "bpftool" : bpftool_path();
		const std::vector<std::string> bpftool{"ip", "netns", "exec", ns, tool};

		if (lab.dry_run) {
			for (const auto &c : topo.commands())
				*lab.explain << c << "\n";
			*lab.explain << "# load build/bpf/staged.bpf.o; M = id of map tx_array, P = id of program xdp_egress\n"
				     << shell_join(bpftool) << " map update id M key 1 0 0 0 value <ifindex of "
				     << links.first << " as 4 bytes> <P as 4 bytes>\n"
				     << shell_join(bpftool) << " map update id M key 2 0 0 0 value <ifindex bytes> 0 0 0 0\n";
			throw ExplainedOnly();
		}

		xdplab_config cfg{};
		cfg.run_id = lab.run_tag;
		cfg.case_id = lab.case_id;
		StagedPrograms progs(cfg);
		uint32_t map_id = progs.devmap_id(false), prog_id = progs.egress_id();
		auto update = [&](uint32_t key, uint32_t prog_word) {
			auto argv = cat(cat(bpftool, {"map", "update", "id", std::to_string(map_id), "key"}), le_bytes(key));
			argv.push_back("value");
			return run_command(cat(cat(argv, le_bytes(static_cast<uint32_t>(ifindex))), le_bytes(prog_word)));
		};
		CommandResult with_prog = update(1, prog_id);
		CommandResult without_prog = update(2, 0);

		int err = progs.set_devmap_entry(ns, false, 3, ifindex, true);
		if (err)
			throw std::runtime_error(std::string("libbpf devmap update with a program fd failed: ") + strerror(-err));
		CommandResult lookup =
			run_checked(cat(cat(bpftool, {"-j", "map", "lookup", "id", std::to_string(map_id), "key"}), le_bytes(3)));
		json looked = json::parse(lookup.output);
		uint32_t looked_prog = word_at(looked.at("value"), 4);

		Measurement m;
		m.observations["bpftool_can_set_entry_prog"] = with_prog.exit_code == 0;
		m.observations["update_with_prog_exit"] = with_prog.exit_code;
		m.observations["update_with_prog_error"] = with_prog.exit_code ? error_line(with_prog.output) : "";
		m.observations["update_without_prog_exit"] = without_prog.exit_code;
		m.observations["lookup_shows_prog_id"] = looked_prog == prog_id;
		m.evidence = {{"map_id", map_id},
			      {"egress_prog_id", prog_id},
			      {"ifindex", ifindex},
			      {"update_with_prog_output", with_prog.output},
			      {"update_without_prog_output", without_prog.output},
			      {"lookup_after_libbpf_update", looked},
			      {"bpftool_version", run_command({tool, "version"}).output}};
		return m;
	}
};

XDPLAB_EXPERIMENT(BpftoolDevmapProgEntry);

} // namespace xdplab
