// pinned-maps
//
// Claim (seed 004, the XDP skeleton): the loader pins its maps in bpffs
// (/sys/fs/bpf/stats_map) and another process reads the program's counts
// from there (statswatch; here bpftool, "bpftool map dump pinned").
//
// Topology: none is needed; one namespace so the procedure has a place.
//
// Procedure: load pins.bpf.o, pin stats_map under the run's own pin
// directory (pin_root()/xdplab-<run>/<case>/stats_map, removed when the
// subtest ends however it ends, and by the sweep / --cleanup after a kill),
// run kFrames frames through xdp_count with BPF_PROG_TEST_RUN, then
//   bpftool -j map dump pinned <path>
// while the loader holds the object, and again after it closed it (the pin
// alone keeps the map).
//
// Observations: values_equal (bpftool's values are the program's: the
// XDP_PASS slot holds kFrames packets and kFrames * frame length bytes, the
// other slots 0, as the loader itself reads them), reader ("bpftool"),
// read_after_loader_closed (the same values once the loader let go).
//
// Expectation: experiments/pinned-maps.json.
#include "harness/bpf_object.h"
#include "harness/command.h"
#include "harness/experiment.h"
#include "harness/frame.h"
#include "netns/naming.h"

#include "pins.skel.h"

#include <bpf/bpf.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace xdplab {

namespace {

constexpr uint32_t kFrames = 100;
constexpr uint32_t kSlots = 5; // XDP_ABORTED .. XDP_REDIRECT

struct Datarec {
	uint64_t rx_packets, rx_bytes;
};

// The subtest's pin directory, pin_root()/xdplab-<run>/<case>: made here,
// removed with everything in it when the subtest ends (also when it unwinds
// on SIGINT); the run's directory goes once its last subtest left it.
class PinDir {
public:
	PinDir(uint32_t run_tag, uint32_t case_id)
	{
		char run[16];
		snprintf(run, sizeof(run), "%06x", run_tag);
		run_dir_ = pin_root() + "/" + pin_dir_name(run);
		dir_ = run_dir_ + "/" + std::to_string(case_id);
		if (mkdir(run_dir_.c_str(), 0700) != 0 && errno != EEXIST)
			throw std::runtime_error("mkdir " + run_dir_ + ": " + strerror(errno));
		if (mkdir(dir_.c_str(), 0700) != 0) {
			int e = errno;
			rmdir(run_dir_.c_str());
			throw std::runtime_error("mkdir " + dir_ + ": " + strerror(e));
		}
	}
	~PinDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(dir_, ec);
		rmdir(run_dir_.c_str()); // ENOTEMPTY while another subtest of the run pins
	}
	PinDir(const PinDir &) = delete;
	PinDir &operator=(const PinDir &) = delete;
	std::string path(const std::string &name) const { return dir_ + "/" + name; }
	const std::string &dir() const { return dir_; }

private:
	std::string run_dir_, dir_;
};

uint64_t le_u64(const json &bytes, size_t first)
{
	uint64_t v = 0;
	for (size_t i = 0; i < 8; ++i)
		v |= std::stoull(bytes.at(first + i).get<std::string>(), nullptr, 16) << (8 * i);
	return v;
}

// bpftool -j map dump: raw "key"/"value" byte arrays, and with BTF a
// "formatted" object; without BTF only the bytes. Both are read.
std::vector<Datarec> parse_dump(const json &dump)
{
	std::vector<Datarec> out(kSlots, Datarec{~0ull, ~0ull});
	for (const auto &e : dump) {
		uint32_t key;
		Datarec rec;
		if (e.contains("value") && e["value"].is_array()) {
			key = static_cast<uint32_t>(le_u64(json::array({e["key"][0], e["key"][1], e["key"][2],
									   e["key"][3], "0", "0", "0", "0"}),
							   0));
			rec = {le_u64(e["value"], 0), le_u64(e["value"], 8)};
		} else {
			const json &f = e.contains("formatted") ? e["formatted"] : e;
			key = f.at("key").get<uint32_t>();
			rec = {f.at("value").at("rx_packets").get<uint64_t>(), f.at("value").at("rx_bytes").get<uint64_t>()};
		}
		if (key < kSlots)
			out[key] = rec;
	}
	return out;
}

json as_json(const std::vector<Datarec> &recs)
{
	json out = json::array();
	for (const auto &r : recs)
		out.push_back({{"rx_packets", r.rx_packets}, {"rx_bytes", r.rx_bytes}});
	return out;
}

bool same(const std::vector<Datarec> &a, const std::vector<Datarec> &b)
{
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i)
		if (a[i].rx_packets != b[i].rx_packets || a[i].rx_bytes != b[i].rx_bytes)
			return false;
	return true;
}

} // namespace

struct PinParams {};

class PinnedMaps : public DeclaredExperiment<PinParams> {
public:
	PinnedMaps()
		: DeclaredExperiment("pinned-maps", {{"bpftool_reads_pin", {}}},
				     {"values_equal", "reader", "read_after_loader_closed"})
	{
	}

	Plan plan(const PinParams &) const override
	{
		ProcedurePlan p;
		p.namespaces = {"dut"};
		p.steps = {"# load build/bpf/pins.bpf.o; pin map stats_map at " + pin_root() +
				   "/xdplab-<run>/<case>/stats_map",
			   "# BPF_PROG_TEST_RUN xdp_count, repeat " + std::to_string(kFrames),
			   "bpftool -j map dump pinned " + pin_root() + "/xdplab-<run>/<case>/stats_map",
			   "# close the object, then the same dump again; remove the pin directory"};
		p.run = [](ProcedureContext &ctx) { return measure(ctx); };
		return p;
	}

private:
	static Measurement measure(ProcedureContext &ctx)
	{
		struct statfs fs;
		if (statfs(pin_root().c_str(), &fs) != 0 || fs.f_type != BPF_FS_MAGIC)
			throw SkipSubtest("no bpffs mounted at " + pin_root() + " (mount -t bpf bpf " + pin_root() + ")");
		const std::string tool = bpftool_path();
		PinDir pin_dir(ctx.run_tag(), ctx.case_id());
		const std::string path = pin_dir.path("stats_map");
		auto dump = [&] {
			CommandResult r = run_checked({tool, "-j", "map", "dump", "pinned", path});
			return json::parse(r.output);
		};

		std::vector<uint8_t> frame = build_frame(tagged_frame_spec(ctx.run_tag(), ctx.case_id()));

		std::vector<Datarec> expected(kSlots, Datarec{0, 0}), loader(kSlots);
		expected[2] = {kFrames, kFrames * frame.size()}; // XDP_PASS
		json while_loaded, after_close;
		uint32_t retval;
		{
			xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
			BpfObject<struct pins> obj("pins", ctx.events(), ident, [](struct pins &) {});
			if (int err = bpf_map__pin(obj->maps.stats_map, path.c_str()))
				throw std::runtime_error("pin " + path + ": " + strerror(-err));
			LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
				    .data_size_in = (uint32_t)frame.size(), .repeat = kFrames);
			if (bpf_prog_test_run_opts(bpf_program__fd(obj->progs.xdp_count), &opts) != 0)
				throw std::runtime_error(std::string("BPF_PROG_TEST_RUN: ") + strerror(errno));
			retval = opts.retval;
			for (uint32_t k = 0; k < kSlots; ++k)
				bpf_map_lookup_elem(bpf_map__fd(obj->maps.stats_map), &k, &loader[k]);
			while_loaded = dump();
		}
		after_close = dump();
		std::vector<Datarec> read = parse_dump(while_loaded), read_later = parse_dump(after_close);

		Measurement m;
		m.observations["values_equal"] = same(read, expected) && same(read, loader);
		m.observations["reader"] = "bpftool";
		m.observations["read_after_loader_closed"] = same(read_later, expected);
		m.evidence = {{"pin", path},
			      {"frames", kFrames},
			      {"frame_len", frame.size()},
			      {"test_run_retval", retval},
			      {"expected", as_json(expected)},
			      {"loader_read", as_json(loader)},
			      {"bpftool_read", as_json(read)},
			      {"bpftool_dump", while_loaded},
			      {"bpftool_dump_after_close", after_close},
			      {"bpftool_version", run_command({tool, "version"}).output}};
		return m;
	}
};

XDPLAB_EXPERIMENT(PinnedMaps);

} // namespace xdplab
