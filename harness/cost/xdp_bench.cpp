#include "xdp_bench.h"
#include "../file_text.h"

#include "../../netns/netns_scope.h"
#include "../bpf_object.h"
#include "../../netns/command.h"
#include "../subtest_context.h"
#include "../xdp_attach.h"
#include "benchmarks.h"
#include "injector.h"
#include "runner.h"
#include "xdp_tools_fetch.h"

#include <linux/types.h>
extern "C" {
#include "../../bpf/xdplab_cost.h"
}
#include "cost.skel.h"

#include <boost/process.hpp>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>
#include <thread>

namespace xdplab::cost {

namespace bp = boost::process;
using json = nlohmann::json;

namespace {

constexpr uint32_t kAnchorCaseId = 100;
const char *kPath = "live frames leave inj by XDP_TX and arrive on in; the program on in redirects through a "
		    "DEVMAP to o0; XDP_DROP on r0";

// The id of the XDP program on a link (0: none).
uint32_t attached_prog(const std::string &ns, int ifindex)
{
	NetnsScope scope(ns);
	uint32_t id = 0;
	bpf_xdp_query_id(ifindex, 0, &id);
	return id;
}

// xdp-bench redirect-map on "in" towards "o0", for as long as the object lives.
class RunningXdpBench {
public:
	RunningXdpBench(const UnpackedXdpTools &tools, CostTopology &topo) : topo_(topo)
	{
		log_ = tools.root + "/../xdp-bench-" + std::to_string(getpid()) + ".log";
		std::vector<std::string> argv = {"ip", "netns", "exec", topo.ns()};
		for (const auto &a : tools.command(tools.xdp_bench))
			argv.push_back(a);
		for (const char *a : {"redirect-map", "-i", "1"})
			argv.push_back(a);
		argv.push_back(topo.link("in"));
		argv.push_back(topo.link("o0"));
		child_ = bp::child(bp::search_path("ip"), std::vector<std::string>(argv.begin() + 1, argv.end()),
				   (bp::std_out & bp::std_err) > log_, bp::std_in < bp::null);
		// Its program on "in" is the sign that it is ready.
		for (int i = 0; i < 200 && child_.running(); ++i) {
			if (attached_prog(topo.ns(), topo.ifindex("in")))
				return;
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		}
		std::string why = child_.running() ? "did not attach within 10 s" : "exited";
		stop();
		throw std::runtime_error("xdp-bench " + why + ": " + output());
	}
	~RunningXdpBench()
	{
		stop();
		std::error_code ec;
		std::filesystem::remove(log_, ec);
	}

	// SIGINT, as a user would stop it: it detaches what it attached.
	void stop()
	{
		if (!child_.valid() || stopped_)
			return;
		stopped_ = true;
		if (child_.running())
			::kill(child_.id(), SIGINT);
		for (int i = 0; i < 100 && child_.running(); ++i)
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		if (child_.running())
			child_.terminate();
		child_.wait();
	}
	std::string output() const
	{
		std::string text = read_file(log_);
		return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
	}

private:
	CostTopology &topo_;
	bp::child child_;
	std::string log_;
	bool stopped_ = false;
};

// One side of the comparison: the sink on r0, DEVMAP slot 0 -> o0 (used by
// xdplab's program), `program_on_in` put in place, then one repetition of the
// injection. Every frame must reach the sink, whichever program forwards it.
Sample measure_side(CostTopology &topo, uint32_t run_tag, int cpu, const Interruption &interruption,
		    const std::function<std::function<void()>(struct cost &)> &program_on_in, std::string &accounting)
{
	EventStream events;
	xdplab_ident ident{run_tag, kAnchorCaseId, 0, 0};
	BpfObject<struct cost> obj("cost", events, ident, [](struct cost &s) {
		s.rodata->cost.map = XDPLAB_DEVMAP_ARRAY;
	});
	auto sink = XdpAttachment::attach(topo.ns(), topo.link("r0"), bpf_program__fd(obj->progs.xdp_cost_sink),
					  XdpMode::Native);
	{
		NetnsScope scope(topo.ns());
		__u32 key = 0;
		bpf_devmap_val val{};
		val.ifindex = static_cast<__u32>(topo.ifindex("o0"));
		val.bpf_prog.fd = -1;
		if (bpf_map_update_elem(bpf_map__fd(obj->maps.cost_array), &key, &val, 0))
			throw std::system_error(errno, std::generic_category(), "devmap entry for o0");
	}
	std::function<void()> remove_program = program_on_in(*obj);
	Injection inj{.prog_fd = bpf_program__fd(obj->progs.xdp_cost_tx), .ns = topo.ns(),
		      .ingress_ifindex = topo.ifindex("inj"), .run_tag = run_tag, .case_id = kAnchorCaseId,
		      .repetitions = 1, .cpu = cpu, .interruption = interruption};
	InjectionResult r;
	try {
		r = inject(inj);
	} catch (...) {
		remove_program();
		throw;
	}
	uint64_t delivered = wait_for_sinks(bpf_map__fd(obj->maps.sink_frames), r.injected);
	remove_program();
	if (auto problem = sink->detach())
		throw std::runtime_error("detaching the sink: " + *problem);
	if (delivered != r.injected)
		throw std::runtime_error("the sink counted " + std::to_string(delivered) + " of " +
					 std::to_string(r.injected) + " frames");
	accounting = r.cpu_accounting;
	return r.samples.at(0);
}

json side_json(const std::vector<Sample> &samples, const std::string &accounting)
{
	Figures f = figures_of(samples);
	json out = {{"mpps", to_json(f.mpps)}, {"ns_per_packet", to_json(f.ns_per_packet)}, {"samples", json::array()},
		    {"cpu_accounting", accounting}};
	for (const auto &s : samples)
		out["samples"].push_back({{"packets", s.packets}, {"wall_ns", s.wall_ns}, {"cpu_ns", s.cpu_ns},
					  {"round", s.round}, {"steal_ns", s.steal_ns},
					  {"others_kernel_ns", s.others_kernel_ns}});
	return out;
}

} // namespace

json run_xdp_bench_anchor(CostTopology &topo, uint32_t run_tag, int rounds, int cpu, const std::string &kernel_cache,
			  const Interruption &interruption)
{
	json c = {{"name", "redirect-devmap"}, {"path", kPath}, {"sink", "XDP_DROP on the peer"}, {"tool", "xdp-bench"}};
	json out = {{"tool", "xdp-bench"}, {"cases", json::array()}};
	UnpackedXdpTools tools;
	try {
		std::cerr << "bench: fetching xdp-tools for the anchor\n";
		tools = fetch_xdp_tools(kernel_cache);
	} catch (const std::exception &e) {
		c["status"] = "skipped";
		c["reason"] = std::string("xdp-bench cannot be had: ") + e.what();
		out["cases"].push_back(c);
		return out;
	}
	out["version"] = tools.version;
	out["suite"] = tools.suite;
	c["tool"] = "xdp-bench " + tools.version;
	auto xdplab_program = [&](struct cost &obj) {
		auto a = std::shared_ptr<XdpAttachment>(XdpAttachment::attach(
			topo.ns(), topo.link("in"), bpf_program__fd(obj.progs.xdp_cost_redirect), XdpMode::Native));
		return std::function<void()>([a] {
			if (auto problem = a->detach())
				throw std::runtime_error("detaching from in: " + *problem);
		});
	};
	std::string bench_output;
	auto xdp_bench_program = [&](struct cost &) {
		auto running = std::make_shared<RunningXdpBench>(tools, topo);
		return std::function<void()>([running, &bench_output, &topo] {
			running->stop();
			bench_output = running->output();
			if (attached_prog(topo.ns(), topo.ifindex("in")))
				throw std::runtime_error("xdp-bench left its program on in");
		});
	};
	try {
		std::vector<Sample> ours, theirs;
		std::string accounting;
		for (int round = 0; round < rounds; ++round) {
			std::cerr << "bench: anchor round " << round + 1 << "/" << rounds << "\n";
			for (int side = 0; side < 2; ++side) {
				bool xdplab_side = (side == 0) == (round % 2 == 0); // who goes first alternates
				Sample s = measure_side(topo, run_tag, cpu, interruption,
							xdplab_side ? std::function(xdplab_program) : std::function(xdp_bench_program),
							accounting);
				s.round = round;
				(xdplab_side ? ours : theirs).push_back(s);
			}
		}
		c["xdplab"] = side_json(ours, accounting);
		c["anchor"] = side_json(theirs, accounting);
		c["anchor"]["output"] = bench_output;
		std::vector<double> a, b;
		for (size_t i = 0; i < ours.size(); ++i) {
			a.push_back(ns_per_packet(ours[i]));
			b.push_back(ns_per_packet(theirs[i]));
		}
		PairedDifference r = paired_ratio(a, b);
		c["ratio"] = r.ns;
		c["ratio_band"] = {r.low, r.high};
		c["status"] = "measured";
	} catch (const Interrupted &) {
		throw;
	} catch (const std::exception &e) {
		c["status"] = "error";
		c["reason"] = e.what();
	}
	out["cases"].push_back(c);
	return out;
}

} // namespace xdplab::cost
