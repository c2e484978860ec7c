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
// Procedure: load the redirect chain with 8-byte devmap values and the devmap
// entry program, then
//   a) bpftool map update ... value <ifindex> <xdp_egress id>
//   b) bpftool map update ... value <ifindex> 0
//   c) libbpf update with the program fd, read back with bpftool map lookup.
//
// Observations: exit status and error line of (a), exit status of (b),
// whether (c)'s lookup shows the program id, and whether bpftool could set
// an entry program at all.
//
// Expectation: experiments/bpftool-devmap-prog-entry.json.
#include "harness/bench_programs.h"
#include "harness/command.h"
#include "harness/event_stream.h"
#include "harness/observe.h"

#include <cstring>
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

struct BpftoolParams {};

class BpftoolDevmapProgEntry : public DeclaredExperiment<BpftoolParams> {
public:
	BpftoolDevmapProgEntry()
		: DeclaredExperiment("bpftool-devmap-prog-entry", {{"update_with_prog", {}}},
				     {"bpftool_can_set_entry_prog", "update_with_prog_exit", "update_with_prog_error",
				      "update_without_prog_exit", "lookup_shows_prog_id"})
	{
	}

	Plan plan(const BpftoolParams &) const override
	{
		ProcedurePlan p;
		p.namespaces = {"dut"};
		p.veths = {{"dut", "o0", "dut", "r0"}};
		p.steps = {"# load build/bpf/redirect_chain.bpf.o (tx_array with 8-byte values) and "
			   "build/bpf/devmap_prog.bpf.o; M = id of map tx_array, P = id of program xdp_egress",
			   "ip netns exec <dut> bpftool map update id M key 1 0 0 0 value <ifindex of o0 as 4 bytes> "
			   "<P as 4 bytes>",
			   "ip netns exec <dut> bpftool map update id M key 2 0 0 0 value <ifindex of o0 as 4 bytes> 0 0 0 0",
			   "# tx_array[3] = {o0, fd of xdp_egress} with libbpf, then: ip netns exec <dut> bpftool -j map "
			   "lookup id M key 3 0 0 0"};
		p.run = [](ProcedureContext &ctx) { return measure(ctx); };
		return p;
	}

private:
	static Measurement measure(ProcedureContext &ctx)
	{
		const std::string ns = ctx.netns("dut"), tool = bpftool_path();
		const int ifindex = ctx.ifindex("o0");
		const std::vector<std::string> bpftool{"ip", "netns", "exec", ns, tool};

		BenchPlan shape;
		shape.entries = {{Devmap::Array, 0, "o0", true}}; // 8-byte values and the entry program
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BenchPrograms progs(shape, ident, ctx.events());
		uint32_t map_id = progs.devmap_id(Devmap::Array), prog_id = progs.ids().entry;
		auto update = [&](uint32_t key, uint32_t prog_word) {
			auto argv = cat(cat(bpftool, {"map", "update", "id", std::to_string(map_id), "key"}), le_bytes(key));
			argv.push_back("value");
			return run_command(cat(cat(argv, le_bytes(static_cast<uint32_t>(ifindex))), le_bytes(prog_word)));
		};
		CommandResult with_prog = update(1, prog_id);
		CommandResult without_prog = update(2, 0);

		int err = progs.try_set_entry(ns, Devmap::Array, 3, ifindex, true);
		if (err)
			throw std::runtime_error(std::string("libbpf devmap update with a program fd failed: ") +
						 strerror(-err));
		CommandResult lookup = run_checked(
			cat(cat(bpftool, {"-j", "map", "lookup", "id", std::to_string(map_id), "key"}), le_bytes(3)));
		json looked = json::parse(lookup.output);
		uint32_t looked_prog = word_at(looked.at("value"), 4);

		Measurement m;
		m.observations["bpftool_can_set_entry_prog"] = with_prog.exit_code == 0;
		m.observations["update_with_prog_exit"] = with_prog.exit_code;
		m.observations["update_with_prog_error"] = with_prog.exit_code ? error_line(with_prog.output) : "";
		m.observations["update_without_prog_exit"] = without_prog.exit_code;
		m.observations["lookup_shows_prog_id"] = looked_prog == prog_id;
		m.evidence = {{"map_id", map_id},
			      {"entry_prog_id", prog_id},
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
