#include "staged_lab.h"

#include "../netns/ifindex.h"
#include "../netns/naming.h"
#include "../netns/topology.h"
#include "tracefs.h"

#include <chrono>
#include <cstring>
#include <cstdio>
#include <set>
#include <sstream>
#include <thread>

namespace xdplab {

std::string to_string(PeerState s)
{
	switch (s) {
	case PeerState::None: return "none";
	case PeerState::Xdp: return "xdp";
	case PeerState::Gro: return "gro";
	}
	return "?";
}

namespace {

const char *kSenderMac = "02:58:4c:00:00:01";
const char *kIngressMac = "02:58:4c:00:00:02";

std::string indexed_mac(int group, int i)
{
	char buf[18];
	snprintf(buf, sizeof(buf), "02:58:4c:00:%02x:%02x", group, i);
	return buf;
}

struct Receiver {
	std::string role;
	std::unique_ptr<FrameReceiver> rx;
};

std::string describe_config(const xdplab_config &c)
{
	std::ostringstream o;
	o << "calls=" << c.calls << " key=[" << c.key[0] << "," << c.key[1] << "] flags=[" << c.flags[0] << ","
	  << c.flags[1] << "] map=" << (c.use_hash_map ? "tx_hash" : "tx_array")
	  << " return=" << (c.return_policy == XDPLAB_RETURN_REDIRECT_ALWAYS ? "XDP_REDIRECT" : "helper value")
	  << " write_meta=" << c.write_meta << " egress_verdict=" << c.egress_verdict;
	return o.str();
}

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
		{"meta_valid", static_cast<bool>(e.meta_valid)},
		{"meta_len", e.meta_len},
		{"meta_value", e.meta_value},
		{"pkt_byte", e.pkt_byte}};
}

bool is_ours(const TraceRecord &r, const std::set<unsigned> &prog_ids, const std::set<int> &ifindexes)
{
	auto f = trace_fields(r.body);
	auto number = [](const std::string &v) { return std::strtol(v.c_str(), nullptr, 0); };
	if (f.count("prog_id"))
		return prog_ids.count(static_cast<unsigned>(number(f["prog_id"]))) > 0;
	// xdp_devmap_xmit carries no program, only devices.
	for (const char *k : {"from_ifindex", "to_ifindex", "ifindex"})
		if (f.count(k) && ifindexes.count(static_cast<int>(number(f[k]))))
			return true;
	return false;
}

} // namespace

std::vector<xdplab_event> StagedRun::stage(uint32_t s) const
{
	std::vector<xdplab_event> out;
	for (const auto &e : events)
		if (e.stage == s)
			out.push_back(e);
	return out;
}

std::map<std::string, int> StagedRun::delivered() const
{
	std::map<std::string, int> out;
	for (const auto &[role, frames] : received)
		out[role] = static_cast<int>(frames.size());
	return out;
}

std::string StagedRun::role_of_ifindex(int ifx) const
{
	// Only links of the dut namespace: that is where redirects resolve.
	for (const auto &[role, idx] : ifindex)
		if (idx == ifx && (role == "in" || role[0] == 'o'))
			return role;
	return "";
}

int StagedRun::tracepoint_count(const std::string &event) const
{
	int n = 0;
	for (const auto &t : tracepoints)
		n += t.event == event;
	return n;
}

json StagedRun::evidence() const
{
	json ev;
	ev["packets_sent"] = packets;
	ev["ingress_mode"] = to_string(mode);
	ev["ifindex"] = ifindex;
	ev["prog_ids"] = {{"ingress", ingress_prog_id}, {"egress", egress_prog_id}, {"peer", peer_prog_id}};
	if (attach_failure)
		ev["ingress_attach"] = {{"errno", attach_failure->err}, {"message", attach_failure->message}};
	json per_stage = json::object();
	for (const auto &e : events)
		per_stage[std::to_string(e.stage)] = per_stage.value(std::to_string(e.stage), 0) + 1;
	ev["ringbuf_events_per_stage"] = per_stage;
	ev["ringbuf_drops"] = ringbuf_drops;
	json first = json::array();
	for (const auto &e : events)
		if (e.seq == 0)
			first.push_back(event_json(e));
	ev["events_of_first_frame"] = first;
	json rx = json::object();
	for (const auto &[role, frames] : received) {
		json r = {{"tagged_frames", frames.size()}};
		if (!frames.empty())
			r["first_frame_pkt_byte"] = frames.front().pkt_byte;
		rx[role] = r;
	}
	ev["receivers"] = rx;
	json tps = json::object();
	for (const auto &t : tracepoints) {
		if (!tps.contains(t.event))
			tps[t.event] = {{"count", 0}, {"first", t.raw}};
		tps[t.event]["count"] = tps[t.event]["count"].get<int>() + 1;
	}
	ev["tracepoints"] = tps;
	if (stage_lines_available) {
		json lines = json::array();
		for (size_t i = 0; i < stage_lines.size() && i < 12; ++i)
			lines.push_back(stage_lines[i]);
		ev["trace_pipe_stage_lines"] = {{"count", stage_lines.size()}, {"first", lines}};
	} else {
		ev["trace_pipe_stage_lines"] = "unavailable: no bpf_trace:bpf_trace_printk event on this kernel";
	}
	return ev;
}

namespace {

struct Link {
	std::string role, ns, name;
};

// The namespaces and links of one bench, by role.
struct Bench {
	Link sender, ingress;
	std::vector<Link> outputs, receivers; // o<i> in dut, r<i> in its own namespace
};

Bench build_bench(Topology &topo, const StagedSetup &setup, const Lab &lab, std::map<std::string, int> &ifindex)
{
	Bench b;
	auto index = [&](unsigned k) { return harness_ifindex(run_slot(lab.run_tag), lab.case_id, k); };
	std::string ns_snd = topo.add_namespace("snd"), ns_dut = topo.add_namespace("dut");
	auto [l_snd, l_in] = topo.add_veth({ns_snd, "snd", kSenderMac, index(0)}, {ns_dut, "in", kIngressMac, index(1)});
	b.sender = {"snd", ns_snd, l_snd};
	b.ingress = {"in", ns_dut, l_in};
	topo.add_address(ns_snd, l_snd, "198.18.0.1/24");
	topo.add_address(ns_dut, l_in, "198.18.0.2/24");
	topo.add_neighbour(ns_snd, l_snd, "198.18.0.2", kIngressMac);
	topo.add_neighbour(ns_dut, l_in, "198.18.0.1", kSenderMac);
	for (size_t i = 0; i < setup.outputs.size(); ++i) {
		int n = static_cast<int>(i);
		std::string o = "o" + std::to_string(i), r = "r" + std::to_string(i);
		std::string ns_r = topo.add_namespace(r);
		auto [l_o, l_r] = topo.add_veth({ns_dut, o, indexed_mac(1, n), index(2 + 2 * i)},
						{ns_r, r, indexed_mac(2, n), index(3 + 2 * i)});
		std::string net = "198.18." + std::to_string(i + 1) + ".";
		topo.add_address(ns_dut, l_o, net + "1/24");
		topo.add_address(ns_r, l_r, net + "2/24");
		topo.add_neighbour(ns_dut, l_o, net + "2", indexed_mac(2, n));
		topo.add_neighbour(ns_r, l_r, net + "1", indexed_mac(1, n));
		if (setup.outputs[i] == PeerState::Gro)
			topo.set_offload(ns_r, l_r, "gro", true);
		b.outputs.push_back({o, ns_dut, l_o});
		b.receivers.push_back({r, ns_r, l_r});
	}
	for (const auto &l : b.outputs)
		ifindex[l.role] = topo.ifindex(l.ns, l.name);
	for (const auto &l : b.receivers)
		ifindex[l.role] = topo.ifindex(l.ns, l.name);
	ifindex["snd"] = topo.ifindex(ns_snd, l_snd);
	ifindex["in"] = topo.ifindex(ns_dut, l_in);
	topo.apply();
	return b;
}

void explain_bench(std::ostream &o, const Topology &topo, const Bench &b, const StagedSetup &setup, const Lab &lab)
{
	for (const auto &c : topo.commands())
		o << c << "\n";
	o << "# load build/bpf/staged.bpf.o (xdp_ingress, xdp_egress [xdp/devmap], xdp_peer) with .rodata cfg: "
	  << describe_config(setup.program) << "\n";
	for (const auto &e : setup.entries)
		o << "# " << (e.hash ? "tx_hash" : "tx_array") << "[" << e.key << "] = { ifindex of "
		  << link_name(lab.run_id, e.target) << ", prog " << (e.egress_prog ? "xdp_egress" : "none") << " }\n";
	for (size_t i = 0; i < setup.outputs.size(); ++i)
		if (setup.outputs[i] == PeerState::Xdp)
			o << XdpAttachment::command(b.receivers[i].ns, b.receivers[i].name, 0, XdpMode::Native)
			  << "   # xdp_peer\n";
	if (setup.sender_receiver)
		o << XdpAttachment::command(b.sender.ns, b.sender.name, 0, XdpMode::Native) << "   # xdp_peer\n";
	o << XdpAttachment::command(b.ingress.ns, b.ingress.name, 0, setup.mode) << "   # xdp_ingress\n";
	o << "# then send " << lab.packets << " tagged UDP frames (port " << XDPLAB_UDP_PORT << ") from "
	  << b.sender.name << " in " << b.sender.ns << " over AF_PACKET; count them at every receiver\n";
}

// xdp_peer on every receiving link that needs it (and on the sender, for XDP_TX).
std::vector<std::unique_ptr<XdpAttachment>> attach_peers(const Bench &b, const StagedSetup &setup,
							 const StagedPrograms &progs)
{
	std::vector<std::unique_ptr<XdpAttachment>> out;
	for (size_t i = 0; i < setup.outputs.size(); ++i)
		if (setup.outputs[i] == PeerState::Xdp)
			out.push_back(XdpAttachment::attach(b.receivers[i].ns, b.receivers[i].name, progs.peer_fd(),
							    XdpMode::Native));
	if (setup.sender_receiver)
		out.push_back(XdpAttachment::attach(b.sender.ns, b.sender.name, progs.peer_fd(), XdpMode::Native));
	return out;
}

std::vector<Receiver> open_receivers(const Bench &b, const StagedSetup &setup, const Lab &lab)
{
	std::vector<Receiver> rx;
	auto add = [&](const std::string &role, const Link &l) {
		rx.push_back({role, std::make_unique<FrameReceiver>(l.ns, l.name, lab.run_tag, lab.case_id)});
	};
	for (size_t i = 0; i < b.receivers.size(); ++i)
		add(b.outputs[i].role, b.receivers[i]); // named after the egress link they sit behind
	if (setup.ingress_stack_receiver)
		add("ingress_stack", b.ingress);
	if (setup.sender_receiver)
		add("sender", b.sender);
	return rx;
}

void send_frames(const Bench &b, const Lab &lab)
{
	FrameSender sender(b.sender.ns, b.sender.name);
	FrameSpec spec;
	spec.src = parse_mac(kSenderMac);
	spec.dst = parse_mac(kIngressMac);
	spec.src_ip = ipv4("198.18.0.1");
	spec.dst_ip = ipv4("198.18.200.1");
	spec.run_id = lab.run_tag;
	spec.case_id = lab.case_id;
	for (int seq = 0; seq < lab.packets; ++seq) {
		spec.seq = static_cast<uint32_t>(seq);
		sender.send(build_frame(spec));
	}
}

// Receives until nothing new has arrived for lab.settle_ms: deliveries that
// are expected to be zero need the full quiet period to be believed.
void collect(Lab &lab, StagedPrograms &progs, std::vector<Receiver> &receivers, StagedRun &out)
{
	using clock = std::chrono::steady_clock;
	const std::chrono::milliseconds quiet(lab.settle_ms), limit(5000 + 4 * lab.settle_ms);
	auto start = clock::now(), last = start;
	while (clock::now() - start < limit) {
		lab.check_interrupt();
		size_t got = 0;
		for (auto &r : receivers)
			got += static_cast<size_t>(r.rx->poll_once());
		auto evs = progs.drain_events();
		got += evs.size();
		out.events.insert(out.events.end(), evs.begin(), evs.end());
		if (got)
			last = clock::now();
		else if (clock::now() - last > quiet)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	for (auto &r : receivers)
		out.received[r.role] = r.rx->frames();
	out.ringbuf_drops = progs.ringbuf_drops();
}

// This subtest's lines from the run's tracefs instance: its programs' stage
// lines, and the kernel tracepoints that concern its programs or links.
void read_trace(Lab &lab, StagedRun &out)
{
	if (!lab.trace)
		return;
	std::set<unsigned> ids{out.ingress_prog_id, out.egress_prog_id, out.peer_prog_id};
	std::set<int> ifxs;
	for (const auto &[role, idx] : out.ifindex)
		ifxs.insert(idx);
	out.stage_lines_available = lab.trace->has_event("bpf_trace/bpf_trace_printk");
	for (const auto &rec : lab.trace->drain()) {
		if (rec.event == "bpf_trace_printk") {
			if (auto msg = stage_message(rec, lab.run_tag))
				out.stage_lines.push_back(rec.task + " [" + std::to_string(rec.cpu) + "] " + *msg);
		} else if (is_ours(rec, ids, ifxs)) {
			out.tracepoints.push_back(rec);
		}
	}
}

} // namespace

StagedRun run_staged(Lab &lab, StagedSetup setup)
{
	StagedRun out;
	out.mode = setup.mode;
	out.packets = lab.packets;
	setup.program.run_id = lab.run_tag;
	setup.program.case_id = lab.case_id;

	// Declared first, destroyed last: links go only after every detach below.
	Topology topo(lab.run_id, lab.scope(), lab.dry_run);
	Bench bench = build_bench(topo, setup, lab, out.ifindex);
	lab.check_interrupt();
	if (setup.configure)
		setup.configure(out.ifindex, setup);
	if (lab.dry_run) {
		explain_bench(*lab.explain, topo, bench, setup, lab);
		throw ExplainedOnly();
	}

	StagedPrograms progs(setup.program);
	out.ingress_prog_id = progs.ingress_id();
	out.egress_prog_id = progs.egress_id();
	out.peer_prog_id = progs.peer_id();
	for (const auto &e : setup.entries) {
		if (!out.ifindex.count(e.target))
			throw std::runtime_error("devmap entry names unknown link role " + e.target);
		int err = progs.set_devmap_entry(bench.ingress.ns, e.hash, e.key, out.ifindex[e.target], e.egress_prog);
		if (err)
			throw std::runtime_error("devmap update key " + std::to_string(e.key) + " -> " + e.target + ": " +
						 strerror(-err));
	}

	auto attachments = attach_peers(bench, setup, progs);
	AttachFailure failure;
	auto ingress = XdpAttachment::try_attach(bench.ingress.ns, bench.ingress.name, progs.ingress_fd(), setup.mode,
						 failure);
	if (!ingress) {
		if (!setup.tolerate_attach_failure)
			throw std::runtime_error("cannot attach the ingress program (" + to_string(setup.mode) +
						 "): " + strerror(failure.err) +
						 (failure.message.empty() ? "" : " (" + failure.message + ")"));
		out.attach_failure = failure;
		return out;
	}
	attachments.push_back(std::move(ingress));

	std::vector<Receiver> receivers = open_receivers(bench, setup, lab);
	if (lab.trace)
		lab.trace->drain(); // whatever came before this subtest is not its evidence
	progs.drain_events();
	lab.check_interrupt();

	send_frames(bench, lab);
	collect(lab, progs, receivers, out);
	read_trace(lab, out);

	if (lab.keep) {
		topo.keep();
		for (auto &a : attachments)
			a.release(); // stays attached: the kernel holds the programs
		*lab.explain << "# kept: topology of run " << lab.run_id << " case " << lab.case_id
			     << " is still up. Remove it with: sudo ./run.sh --cleanup   (or by hand:)\n";
		for (const auto &c : topo.teardown_commands())
			*lab.explain << c << "\n";
	}
	if (out.ringbuf_drops)
		throw std::runtime_error("the ring buffer dropped " + std::to_string(out.ringbuf_drops) +
					 " events: observations would be incomplete");
	// Every frame sent must reach the ingress program; otherwise the bench,
	// not the kernel behaviour under test, failed, and nothing else can be read.
	size_t seen = out.stage(XDPLAB_STAGE_INGRESS_ENTRY).size();
	if (seen != static_cast<size_t>(lab.packets))
		throw std::runtime_error("the ingress program saw " + std::to_string(seen) + " of " +
					 std::to_string(lab.packets) + " frames: the bench did not work");
	return out;
}

} // namespace xdplab
