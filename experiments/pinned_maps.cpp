// pinned-maps
//
// Claim (seed 004, the XDP skeleton): the loader pins its maps in bpffs
// (/sys/fs/bpf/stats_map) and another process reads the program's counts
// from there (statswatch; here bpftool, "bpftool map dump pinned").
//
// Observations: values_equal (bpftool's values are the program's: the
// XDP_PASS slot holds 100 packets and 100 frame lengths of bytes, the other
// slots 0, as the loader itself reads them), reader ("bpftool"),
// read_after_loader_closed (the same values once the loader let go).
#include "harness/experiment.h"
#include "../harness/engine/lab.h"
#include "netns/naming.h"

#include <bpf/bpf.h>

namespace xdplab {

constexpr uint32_t kFrames = 100, kSlots = 5; // XDP_ABORTED .. XDP_REDIRECT

// Per action [packets, bytes] from `bpftool -j map dump`, which formats the
// values by the map's BTF (pins.bpf.c declares struct datarec).
static json counts_of(const json &dump)
{
	json out = json::array({nullptr, nullptr, nullptr, nullptr, nullptr});
	for (const auto &e : dump.is_array() ? dump : json::array())
		if (const json &f = e.value("formatted", e); f.value("key", kSlots) < kSlots)
			out[f["key"].get<size_t>()] = json::array({f["value"]["rx_packets"], f["value"]["rx_bytes"]});
	return out;
}

struct PinParams {};

class PinnedMaps : public DeclaredExperiment<PinParams> {
public:
	PinnedMaps()
		: DeclaredExperiment("pinned-maps", {{"bpftool_reads_pin", {}}},
				     {"values_equal", "reader", "read_after_loader_closed"})
	{
	}

	Plan plan(const PinParams &) const override { return ProcedurePlan{.run = run}; }

private:
	static void run(Lab &lab)
	{
		if (!lab.has("bpffs"))
			throw SkipSubtest("no bpffs mounted at " + pin_root() + " (mount -t bpf bpf " + pin_root() + ")");
		const std::string path = lab.pin("stats_map");
		auto dump = [&] { return json::parse(lab.tool({"bpftool", "-j", "map", "dump", "pinned", path}).output, nullptr, false); };
		std::vector<uint8_t> frame = lab.tagged_frame();
		json expected = json::array({{0, 0}, {0, 0}, {kFrames, kFrames * frame.size()}, {0, 0}, {0, 0}}); // XDP_PASS
		json loader = json::array(), while_loaded;
		{
			const LabObject &obj = lab.load("pins.bpf.o");
			lab.must("pin stats_map at " + path, [&] { return bpf_obj_pin(obj.map_fd("stats_map"), path.c_str()); });
			lab.must("BPF_PROG_TEST_RUN xdp_count, 100 times", [&] {
				LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
					    .data_size_in = static_cast<uint32_t>(frame.size()), .repeat = kFrames);
				return bpf_prog_test_run_opts(obj.fd("xdp_count"), &opts);
			});
			for (uint32_t k = 0, rec[4]; k < kSlots; ++k) { // two __u64, as 4 words
				lab.step("the loader reads slot " + std::to_string(k), [&] { return bpf_map_lookup_elem(obj.map_fd("stats_map"), &k, rec); });
				loader.push_back(json::array({rec[0] | uint64_t(rec[1]) << 32, rec[2] | uint64_t(rec[3]) << 32}));
			}
			while_loaded = dump();
		}
		lab.unload_all(); // the loader closes the object: the pin alone keeps the map
		json after_close = dump();
		lab.observe("values_equal", counts_of(while_loaded) == expected && loader == expected);
		lab.observe("reader", "bpftool");
		lab.observe("read_after_loader_closed", counts_of(after_close) == expected);
		lab.note("bpftool_dumps", {{"while_loaded", while_loaded}, {"after_close", after_close}, {"pin", path}});
	}
};

XDPLAB_EXPERIMENT(PinnedMaps);

} // namespace xdplab
