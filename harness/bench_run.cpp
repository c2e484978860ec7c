#include "bench_run.h"

#include "../netns/naming.h"
#include "../netns/topology.h"
#include "attribution.h"
#include "bench_programs.h"
#include "subtest_context.h"
#include "trace_collector.h"
#include "xdp_features.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>

namespace xdplab {

std::vector<xdplab_event> BenchRun::stage(uint32_t s) const
{
	std::vector<xdplab_event> out;
	for (const auto &e : events)
		if (e.stage == s)
			out.push_back(e);
	return out;
}

int BenchRun::delivered(const std::string &receiver) const
{
	auto it = received.find(receiver);
	return it == received.end() ? 0 : static_cast<int>(it->second.size());
}

std::string BenchRun::name_of_ifindex(int ifx) const
{
	// Only links of the dut namespace: that is where redirects resolve.
	for (size_t i = 0; i < plan.outputs.size(); ++i) {
		auto it = ifindex.find("o" + std::to_string(i));
		if (it != ifindex.end() && it->second == ifx)
			return plan.outputs[i].name;
	}
	auto in = ifindex.find("in");
	return in != ifindex.end() && in->second == ifx ? "ingress" : "";
}

int BenchRun::tracepoint_count(const std::string &event) const
{
	int n = 0;
	for (const auto &t : tracepoints)
		n += t.event == event;
	return n;
}

std::vector<std::string> bench_observation_names()
{
	return {"delivered", "frames"};
}

namespace {

int distinct_frames(const std::vector<xdplab_event> &events, uint32_t stage)
{
	std::set<uint32_t> seqs;
	for (const auto &e : events)
		if (e.stage == stage)
			seqs.insert(e.seq);
	return static_cast<int>(seqs.size());
}

} // namespace

json bench_observations(const BenchRun &run)
{
	json delivered = json::object();
	for (const auto &[name, link] : run.receiver_link)
		delivered[name] = run.delivered(name);
	json frames = json::object();
	frames["ingress"] = distinct_frames(run.events, XDPLAB_STAGE_INGRESS_ENTRY);
	if (run.plan.calls.size() >= 1)
		frames["after_call1"] = distinct_frames(run.events, XDPLAB_STAGE_AFTER_CALL1);
	if (run.plan.calls.size() >= 2)
		frames["after_call2"] = distinct_frames(run.events, XDPLAB_STAGE_AFTER_CALL2);
	if (uses_entry_prog(run.plan))
		frames["entry_prog"] = distinct_frames(run.events, XDPLAB_STAGE_EGRESS);
	return {{"delivered", delivered}, {"frames", frames}};
}

std::string evidence_problem(const BenchRun &run)
{
	auto plural = [](unsigned long long n, const char *what) { return std::to_string(n) + " " + what; };
	if (run.ringbuf_drops)
		return "the ring buffer dropped " + plural(run.ringbuf_drops, "event(s)") + ": observations would be incomplete";
	if (run.socket_drops)
		return "receivers dropped " + plural(run.socket_drops, "frame(s)") + ": deliveries would be undercounted";
	if (run.trace_lost)
		return "the trace buffer lost " + plural(run.trace_lost, "event(s)") +
		       " while this subtest ran: its tracepoints may be incomplete";
	if (!run.accounting.complete())
		return std::to_string(run.accounting.unaccounted) + " of " + std::to_string(run.accounting.sent) +
		       " frames are not accounted for (no receiver saw them, no program dropped them, no kernel "
		       "tracepoint reported them): a lost frame proves nothing";
	return "";
}

namespace {

json event_json(const xdplab_event &e)
{
	return {{"stage", e.stage},
		{"seq", e.seq},
		{"ts_ns", e.ts_ns},
		{"ingress_ifindex", e.ingress_ifindex},
		{"egress_ifindex", e.egress_ifindex},
		{"rx_queue_index", e.rx_queue_index},
		{"redirect_ret", e.redirect_ret},
		{"adjust_meta_ret", e.adjust_meta_ret},
		{"action", e.action},
		{"meta_valid", static_cast<bool>(e.meta_valid)},
		{"meta_len", e.meta_len},
		{"meta_value", e.meta_value},
		{"pkt_byte", e.pkt_byte}};
}

} // namespace

json bench_evidence(const BenchRun &run)
{
	json ev;
	ev["packets_sent"] = run.packets_sent;
	ev["ingress_mode"] = to_string(run.plan.mode);
	ev["ifindex"] = run.ifindex;
	ev["prog_ids"] = {{"ingress", run.prog_ids.ingress}, {"entry", run.prog_ids.entry}, {"peer", run.prog_ids.peer}};
	if (run.attach_failure)
		ev["ingress_attach"] = {{"errno", run.attach_failure->err}, {"message", run.attach_failure->message}};
	ev["accounting"] = run.accounting.to_json();
	json per_stage = json::object();
	for (const auto &e : run.events)
		per_stage[std::to_string(e.stage)] = per_stage.value(std::to_string(e.stage), 0) + 1;
	ev["ringbuf_events_per_stage"] = per_stage;
	json first = json::array();
	for (const auto &e : run.events)
		if (e.seq == 0)
			first.push_back(event_json(e));
	ev["events_of_first_frame"] = first;
	json rx = json::object();
	for (const auto &[name, frames] : run.received) {
		json r = {{"link", run.receiver_link.at(name)}, {"tagged_frames", frames.size()}};
		if (!frames.empty())
			r["first_frame_pkt_byte"] = frames.front().pkt_byte;
		rx[name] = r;
	}
	ev["receivers"] = rx;
	json tps = json::object();
	for (const auto &t : run.tracepoints) {
		if (!tps.contains(t.event))
			tps[t.event] = {{"count", 0}, {"first", t.raw}};
		tps[t.event]["count"] = tps[t.event]["count"].get<int>() + 1;
	}
	ev["tracepoints"] = tps;
	if (!run.xdp_features.empty())
		ev["egress_xdp_features"] = run.xdp_features;
	if (run.stage_lines_available) {
		json lines = json::array();
		for (size_t i = 0; i < run.stage_lines.size() && i < 12; ++i)
			lines.push_back(run.stage_lines[i]);
		ev["trace_pipe_stage_lines"] = {{"count", run.stage_lines.size()}, {"first", lines}};
	} else {
		ev["trace_pipe_stage_lines"] = "unavailable: this kernel has no bpf_trace:bpf_trace_printk event";
	}
	ev["phases_ms"] = run.phase_ms;
	ev["health"] = {{"ringbuf_drops", run.ringbuf_drops},
			{"socket_drops", run.socket_drops},
			{"trace_lost_events", run.trace_lost}};
	return ev;
}

namespace {

const char *kSenderMac = "02:58:4c:00:00:01";
const char *kIngressMac = "02:58:4c:00:00:02";

std::string indexed_mac(int group, size_t i)
{
	char buf[18];
	snprintf(buf, sizeof(buf), "02:58:4c:00:%02x:%02x", group, static_cast<unsigned>(i));
	return buf;
}

struct Link {
	std::string role, ns, name;
};

// The namespaces and links of one bench, by role.
struct Bench {
	Link sender, ingress;
	std::vector<Link> outputs, receivers; // o<i> in dut, r<i> in its own namespace
};

// ifindex slots of a bench: in 0, snd 1, o<i> 2+2i, r<i> 3+2i.
Bench declare_bench(Topology &topo, const BenchPlan &plan, const SubtestContext &ctx,
		    std::map<std::string, int> &ifindex)
{
	Bench b;
	std::string ns_snd = topo.add_namespace("snd"), ns_dut = topo.add_namespace("dut");
	ifindex["in"] = ctx.ifindex(0);
	ifindex["snd"] = ctx.ifindex(1);
	auto [l_snd, l_in] = topo.add_veth({ns_snd, "snd", kSenderMac, ifindex["snd"]},
					   {ns_dut, "in", kIngressMac, ifindex["in"]});
	b.sender = {"snd", ns_snd, l_snd};
	b.ingress = {"in", ns_dut, l_in};
	topo.add_address(ns_snd, l_snd, "198.18.0.1/24");
	topo.add_address(ns_dut, l_in, "198.18.0.2/24");
	topo.add_neighbour(ns_snd, l_snd, "198.18.0.2", kIngressMac);
	topo.add_neighbour(ns_dut, l_in, "198.18.0.1", kSenderMac);
	for (size_t i = 0; i < plan.outputs.size(); ++i) {
		std::string o = "o" + std::to_string(i), r = "r" + std::to_string(i);
		ifindex[o] = ctx.ifindex(static_cast<unsigned>(2 + 2 * i));
		ifindex[r] = ctx.ifindex(static_cast<unsigned>(3 + 2 * i));
		std::string ns_r = topo.add_namespace(r);
		auto [l_o, l_r] = topo.add_veth({ns_dut, o, indexed_mac(1, i), ifindex[o]},
						{ns_r, r, indexed_mac(2, i), ifindex[r]});
		std::string net = "198.18." + std::to_string(i + 1) + ".";
		topo.add_address(ns_dut, l_o, net + "1/24");
		topo.add_address(ns_r, l_r, net + "2/24");
		topo.add_neighbour(ns_dut, l_o, net + "2", indexed_mac(2, i));
		topo.add_neighbour(ns_r, l_r, net + "1", indexed_mac(1, i));
		if (plan.outputs[i].peer == Peer::Gro)
			topo.set_offload(ns_r, l_r, "gro", true);
		b.outputs.push_back({o, ns_dut, l_o});
		b.receivers.push_back({r, ns_r, l_r});
	}
	return b;
}

struct Receiver {
	std::string name;
	std::unique_ptr<FrameReceiver> rx;
};

std::vector<Receiver> open_receivers(const Bench &b, const BenchPlan &plan, const SubtestContext &ctx,
				     BenchRun &out)
{
	std::vector<Receiver> rx;
	auto add = [&](const std::string &name, const Link &l) {
		rx.push_back({name, std::make_unique<FrameReceiver>(l.ns, l.name, ctx.run_tag, ctx.case_id)});
		out.receiver_link[name] = l.role;
	};
	for (size_t i = 0; i < b.receivers.size(); ++i)
		add(plan.outputs[i].name, b.receivers[i]); // named after the output they sit behind
	add("ingress_stack", b.ingress);
	add("sender", b.sender);
	return rx;
}

int send_frames(const Bench &b, const SubtestContext &ctx)
{
	FrameSender sender(b.sender.ns, b.sender.name);
	FrameSpec spec;
	spec.src = parse_mac(kSenderMac);
	spec.dst = parse_mac(kIngressMac);
	spec.src_ip = ipv4("198.18.0.1");
	spec.dst_ip = ipv4("198.18.200.1");
	spec.run_id = ctx.run_tag;
	spec.case_id = ctx.case_id;
	for (int seq = 0; seq < ctx.options.packets; ++seq) {
		spec.seq = static_cast<uint32_t>(seq);
		sender.send(build_frame(spec));
	}
	return ctx.options.packets;
}

// Collects until every frame is accounted for (then, only where the plan
// measures absence, for a further quiet time), or until the timeout.
void collect(SubtestContext &ctx, const SubtestIdentity &who, size_t trace_cursor, EventStream &events,
	     std::vector<Receiver> &receivers, BenchRun &out)
{
	using clock = std::chrono::steady_clock;
	const auto quiet = std::chrono::milliseconds(ctx.options.settle_ms);
	const auto deadline = clock::now() + std::chrono::milliseconds(ctx.options.timeout_ms);
	auto last_arrival = clock::now();
	for (;;) {
		ctx.check_interrupt();
		size_t got = 0;
		for (auto &r : receivers)
			got += static_cast<size_t>(r.rx->poll_once());
		auto evs = events.drain();
		got += evs.size();
		out.events.insert(out.events.end(), evs.begin(), evs.end());
		for (auto &rec : ctx.trace->since(trace_cursor)) {
			if (rec.event == "bpf_trace_printk") {
				if (auto msg = stage_message(rec, ctx.run_tag, ctx.case_id))
					out.stage_lines.push_back(rec.task + " [" + std::to_string(rec.cpu) + "] " + *msg);
			} else if (is_subtests_tracepoint(rec, who)) {
				out.tracepoints.push_back(rec);
				++got;
			}
		}
		if (got)
			last_arrival = clock::now();
		for (auto &r : receivers)
			out.received[r.name] = r.rx->frames();
		out.accounting = account(out.packets_sent, out.events, out.received, out.tracepoints, out.prog_ids);
		auto now = clock::now();
		bool settled = !out.plan.measures_absence || now - last_arrival >= quiet;
		if ((out.accounting.complete() && settled) || now >= deadline)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	}
	for (auto &r : receivers)
		out.socket_drops += r.rx->drops();
}

// An ingress attach the plan did not expect to fail. Before 5.15 a generic-mode
// program that references a devmap with 8-byte values cannot be attached at
// all (generic_xdp_install(), kernel-history row 5): the subtest cannot run on
// this kernel, and devmap-prog-generic-mode is the experiment that measures it.
[[noreturn]] void refuse(const BenchPlan &plan, const AttachFailure &f, const KernelVersion &kernel)
{
	static const KernelVersion kGenericDevmapProgs{5, 15, 0}; // 2ea5eabaf04a
	std::string why = "cannot attach the ingress program (" + to_string(plan.mode) + "): " + strerror(f.err) +
			  (f.message.empty() ? "" : " (" + f.message + ")");
	if (plan.mode == XdpMode::Generic && uses_entry_prog(plan) && kernel < kGenericDevmapProgs)
		throw SkipSubtest("generic-mode attach refused: " + std::string(strerror(f.err)) +
				  "; a program using a devmap with entry programs needs generic-mode support from " +
				  kGenericDevmapProgs.str() + " (measured by devmap-prog-generic-mode)");
	throw std::runtime_error(why);
}

uint32_t resolve(const Key &k, const std::map<std::string, int> &ifindex)
{
	if (k.ifindex_of.empty())
		return k.value;
	auto it = ifindex.find(k.ifindex_of);
	if (it == ifindex.end())
		throw std::invalid_argument("plan names unknown link role " + k.ifindex_of);
	return static_cast<uint32_t>(it->second);
}

} // namespace

BenchRun run_bench(const BenchPlan &plan, SubtestContext &ctx)
{
	BenchRun out;
	out.plan = plan;
	out.stage_lines_available = ctx.trace->has_event("bpf_trace/bpf_trace_printk");
	auto phase_start = std::chrono::steady_clock::now();
	auto phase_done = [&](const char *name) {
		auto now = std::chrono::steady_clock::now();
		out.phase_ms[name] = std::chrono::duration_cast<std::chrono::milliseconds>(now - phase_start).count();
		phase_start = now;
	};

	// Declared first, destroyed last: links go only after every detach below.
	Topology topo(ctx.run_id, ctx.scope());
	Bench bench = declare_bench(topo, plan, ctx, out.ifindex);
	for (auto &c : out.plan.calls)
		c.key = resolve(c.key, out.ifindex);
	for (auto &e : out.plan.entries)
		e.key = resolve(e.key, out.ifindex);
	topo.apply();
	phase_done("topology");
	ctx.check_interrupt();

	EventStream events;
	BenchPrograms progs(out.plan, ctx.ident(), events);
	out.prog_ids = progs.ids();
	for (const auto &e : out.plan.entries) {
		if (!out.ifindex.count(e.target))
			throw std::invalid_argument("devmap entry names unknown link role " + e.target);
		progs.set_entry(bench.ingress.ns, e, out.ifindex[e.target]);
	}
	phase_done("load");

	std::vector<std::unique_ptr<XdpAttachment>> attachments;
	for (size_t i = 0; i < plan.outputs.size(); ++i)
		if (plan.outputs[i].peer == Peer::Xdp)
			attachments.push_back(XdpAttachment::attach(bench.receivers[i].ns, bench.receivers[i].name,
								    progs.peer_fd(), XdpMode::Native));
	// The sender's link too: a native XDP_TX back into it is then delivered.
	attachments.push_back(XdpAttachment::attach(bench.sender.ns, bench.sender.name, progs.peer_fd(), XdpMode::Native));
	// What each egress link advertises once its peer is set up (6.3+; null before).
	for (size_t i = 0; i < plan.outputs.size(); ++i) {
		auto f = xdp_features(bench.outputs[i].ns, out.ifindex.at(bench.outputs[i].role));
		out.xdp_features[plan.outputs[i].name] = f ? json(*f) : json(nullptr);
	}
	AttachFailure failure;
	auto ingress = XdpAttachment::try_attach(bench.ingress.ns, bench.ingress.name, progs.ingress_fd(), plan.mode,
						 failure);
	std::vector<Receiver> receivers = open_receivers(bench, plan, ctx, out);
	phase_done("attach");
	if (!ingress) {
		out.attach_failure = failure;
		if (!plan.attach_may_fail)
			refuse(plan, failure, ctx.kernel.version);
	} else {
		attachments.push_back(std::move(ingress));
		SubtestIdentity who{ctx.run_tag, ctx.case_id, {out.prog_ids.ingress, out.prog_ids.entry, out.prog_ids.peer}, {}};
		for (const auto &[role, idx] : out.ifindex)
			who.ifindexes.insert(idx);
		size_t cursor = ctx.trace->cursor(); // earlier lines are not this subtest's
		unsigned long long lost_before = ctx.trace->lost_events();
		ctx.check_interrupt();
		out.packets_sent = send_frames(bench, ctx);
		collect(ctx, who, cursor, events, receivers, out);
		out.trace_lost = ctx.trace->lost_events() - lost_before;
		phase_done("traffic");
	}
	out.ringbuf_drops = progs.ringbuf_drops();

	if (ctx.options.keep) {
		topo.keep();
		for (auto &a : attachments)
			a.release(); // stays attached: the kernel holds the programs
		*ctx.notes << "# kept: topology of run " << ctx.run_id << " case " << ctx.case_id
			   << " is still up. Remove it with: ./run.sh --cleanup   (or by hand:)\n";
		for (const auto &c : topo.teardown_commands())
			*ctx.notes << c << "\n";
		return out;
	}
	// Teardown in order, every problem reported: XDP first, then the topology.
	std::vector<std::string> problems;
	for (auto &a : attachments)
		if (auto p = a->detach())
			problems.push_back(*p);
	attachments.clear();
	for (auto &p : topo.teardown())
		problems.push_back(p);
	phase_done("teardown");
	fail_on_teardown_problems(problems);
	return out;
}

void explain_bench(std::ostream &o, const BenchPlan &plan, const SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope(), true);
	BenchRun shape;
	Bench b = declare_bench(topo, plan, ctx, shape.ifindex);
	for (const auto &c : topo.commands())
		o << c << "\n";
	bool value8 = uses_entry_prog(plan);
	o << "# load build/bpf/redirect_chain.bpf.o (xdp_ingress), devmaps with " << (value8 ? 8 : 4)
	  << "-byte values; .rodata chain:";
	for (size_t i = 0; i < plan.calls.size(); ++i)
		o << " call" << i + 1 << "=bpf_redirect_map(" << to_string(plan.calls[i].map) << ", "
		  << plan.calls[i].key.str() << ", flags " << plan.calls[i].flags << ")";
	o << " return="
	  << (plan.ret == Return::Redirect ? "XDP_REDIRECT"
	      : plan.ret == Return::Fixed  ? "action " + std::to_string(plan.fixed_action)
					   : "the last helper value");
	if (plan.meta_value)
		o << " write_meta=" << *plan.meta_value;
	o << "\n";
	if (value8)
		o << "# load build/bpf/devmap_prog.bpf.o (xdp_egress, BPF_XDP_DEVMAP), verdict " << plan.entry_verdict << "\n";
	o << "# load build/bpf/peer.bpf.o (xdp_peer)\n";
	for (const auto &e : plan.entries)
		o << "# from inside " << b.ingress.ns << ": " << to_string(e.map) << "[" << e.key.str()
		  << "] = { ifindex of " << link_name(ctx.run_id, e.target) << " ("
		  << shape.ifindex.at(e.target) << "), prog " << (e.entry_prog ? "xdp_egress" : "none") << " }\n";
	for (size_t i = 0; i < plan.outputs.size(); ++i)
		if (plan.outputs[i].peer == Peer::Xdp)
			o << XdpAttachment::command(b.receivers[i].ns, b.receivers[i].name, 0, XdpMode::Native)
			  << "   # xdp_peer\n";
	o << XdpAttachment::command(b.sender.ns, b.sender.name, 0, XdpMode::Native) << "   # xdp_peer\n";
	o << XdpAttachment::command(b.ingress.ns, b.ingress.name, 0, plan.mode) << "   # xdp_ingress\n";
	o << "# then send " << ctx.options.packets << " tagged UDP frames (port " << XDPLAB_UDP_PORT << ") from "
	  << b.sender.name << " in " << b.sender.ns
	  << " over AF_PACKET; capture them behind every output, on the ingress link's stack and on the sender\n";
}

} // namespace xdplab
