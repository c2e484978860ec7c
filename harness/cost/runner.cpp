#include "runner.h"

#include "../../netns/ifindex.h"
#include "../../netns/naming.h"
#include "../../netns/netns_scope.h"
#include "../../netns/topology.h"
#include "../bpf_object.h"
#include "../xdp_attach.h"
#include "injector.h"

#include <linux/types.h>
extern "C" {
#include "../../bpf/xdplab_cost.h"
}
#include "cost.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace xdplab::cost {

namespace {

constexpr int kPorts = 4;
// The topology's links take ifindexes of this case id (netns/ifindex.h).
constexpr uint32_t kTopologyCaseId = 1;

std::string mac_of(unsigned k)
{
	char buf[18];
	snprintf(buf, sizeof(buf), "02:58:4c:0c:00:%02x", k);
	return buf;
}

// ifindex slot of each role: inj 0, in 1, o<i> 2+2i, r<i> 3+2i.
unsigned slot_of(const std::string &role)
{
	if (role == "inj")
		return 0;
	if (role == "in")
		return 1;
	unsigned i = static_cast<unsigned>(std::stoul(role.substr(1)));
	return (role[0] == 'o' ? 2 : 3) + 2 * i;
}

} // namespace

uint64_t wait_for_sinks(int sink_frames_fd, uint64_t expected)
{
	int cpus = libbpf_num_possible_cpus();
	std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus > 0 ? cpus : 1));
	uint64_t total = 0;
	for (int waited = 0; waited < 1000; ++waited) {
		uint32_t zero = 0;
		if (bpf_map_lookup_elem(sink_frames_fd, &zero, per_cpu.data()))
			throw std::system_error(errno, std::generic_category(), "reading the sink counter");
		total = 0;
		for (auto v : per_cpu)
			total += v;
		if (total >= expected)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	}
	return total;
}

CostTopology::CostTopology(const std::string &run_id, uint32_t run_tag)
	: topo_(std::make_unique<Topology>(run_id, "cost-")), run_id_(run_id), run_tag_(run_tag)
{
	ns_ = topo_->add_namespace("dut");
	auto end = [&](const std::string &role) {
		return VethEnd{ns_, role, mac_of(slot_of(role)), ifindex(role)};
	};
	topo_->add_veth(end("inj"), end("in"));
	for (int i = 0; i < kPorts; ++i)
		topo_->add_veth(end("o" + std::to_string(i)), end("r" + std::to_string(i)));
	topo_->apply();
}

CostTopology::~CostTopology() = default;

std::string CostTopology::link(const std::string &role) const
{
	return link_name(run_id_, role);
}

int CostTopology::ifindex(const std::string &role) const
{
	return harness_ifindex(run_slot(run_tag_), kTopologyCaseId, slot_of(role));
}

std::vector<std::string> CostTopology::teardown() noexcept
{
	return topo_->teardown();
}

std::optional<std::string> CostRunner::probe()
{
	EventStream events;
	xdplab_ident ident{run_tag_, 0, 0, 0};
	BpfObject<struct cost> obj("cost", events, ident, [](struct cost &) {});
	Injection inj{.prog_fd = bpf_program__fd(obj->progs.xdp_cost_drop), .ns = topo_.ns(),
		      .ingress_ifindex = topo_.ifindex("in"), .run_tag = run_tag_, .case_id = 0};
	return probe_live_frames(inj);
}

CaseOutcome CostRunner::run(const CostCase &c, uint32_t case_id)
{
	CaseOutcome out{.c = c};
	EventStream events; // the family's ring buffer; the cost programs write no events
	xdplab_ident ident{run_tag_, case_id, 0, 0};
	const bool hash = c.map == Map::DevmapHash;
	BpfObject<struct cost> obj("cost", events, ident, [&](struct cost &s) {
		s.rodata->cost.map = hash ? XDPLAB_DEVMAP_HASH : XDPLAB_DEVMAP_ARRAY;
		s.rodata->cost.key = hash ? static_cast<__u32>(topo_.ifindex("o0")) : 0;
		s.rodata->cost.flags = c.broadcast ? BPF_F_BROADCAST : 0;
	});

	// Sinks first, then the entries pointing at their links.
	std::vector<std::unique_ptr<XdpAttachment>> attached;
	int sink_fd = bpf_program__fd(obj->progs.xdp_cost_sink);
	if (c.verdict == Verdict::Tx)
		attached.push_back(XdpAttachment::attach(topo_.ns(), topo_.link("inj"), sink_fd, XdpMode::Native));
	for (int i = 0; c.verdict != Verdict::Tx && i < c.ports; ++i)
		attached.push_back(
			XdpAttachment::attach(topo_.ns(), topo_.link("r" + std::to_string(i)), sink_fd, c.mode));
	int prog_fd = bpf_program__fd(obj->progs.xdp_cost_drop);
	if (c.verdict == Verdict::Tx)
		prog_fd = bpf_program__fd(obj->progs.xdp_cost_tx);
	if (c.verdict == Verdict::Redirect)
		prog_fd = bpf_program__fd(obj->progs.xdp_cost_redirect);
	if (c.verdict == Verdict::Pass) {
		prog_fd = bpf_program__fd(obj->progs.xdp_cost_pass);
		attached.push_back(XdpAttachment::attach(topo_.ns(), topo_.link("in"),
							 bpf_program__fd(obj->progs.xdp_cost_redirect), c.mode));
	}
	{
		// Devmap updates resolve ifindexes in the caller's namespace.
		NetnsScope scope(topo_.ns());
		int map_fd = bpf_map__fd(hash ? obj->maps.cost_hash : obj->maps.cost_array);
		for (int i = 0; i < c.ports; ++i) {
			int ifindex = topo_.ifindex("o" + std::to_string(i));
			__u32 key = hash ? static_cast<__u32>(ifindex) : static_cast<__u32>(i);
			bpf_devmap_val val{};
			val.ifindex = static_cast<__u32>(ifindex);
			val.bpf_prog.fd = c.entry_prog ? bpf_program__fd(obj->progs.xdp_cost_entry) : -1;
			if (bpf_map_update_elem(map_fd, &key, &val, 0))
				throw std::system_error(errno, std::generic_category(),
							"devmap entry for " + topo_.link("o" + std::to_string(i)));
		}
	}

	Injection inj{.prog_fd = prog_fd, .ns = topo_.ns(), .ingress_ifindex = topo_.ifindex("in"),
		      .run_tag = run_tag_, .case_id = case_id, .repetitions = options_.repetitions, .cpu = options_.cpu,
		      .interruption = options_.interruption};
	// On a terminal one line rewritten in place, else a line per case.
	InjectionResult r = inject(inj);
	out.samples = r.samples;
	out.injected = r.injected;
	out.per_repetition = r.per_repetition;
	out.cpu_accounting = r.cpu_accounting;
	out.cpu = r.cpu;

	// Every frame must reach its sink; what the kernel deferred may still be
	// on its way for a moment.
	int copies = c.verdict == Verdict::Drop ? 0 : c.verdict == Verdict::Tx ? 1 : c.ports;
	out.expected_delivered = r.injected * static_cast<uint64_t>(copies);
	out.delivered = wait_for_sinks(bpf_map__fd(obj->maps.sink_frames), out.expected_delivered);

	for (auto &a : attached)
		if (auto problem = a->detach())
			throw std::runtime_error("detaching a cost program: " + *problem);
	if (out.delivered != out.expected_delivered) {
		out.reason = "the sinks counted " + std::to_string(out.delivered) + " of " +
			     std::to_string(out.expected_delivered) + " frames";
		return out;
	}
	out.figures = figures_of(out.samples);
	out.status = "measured";
	return out;
}

} // namespace xdplab::cost
