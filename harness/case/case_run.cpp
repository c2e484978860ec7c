#include "case_run.h"

#include "../../netns/ethtool_counters.h"
#include "../../netns/netns_scope.h"
#include "../../netns/rtnetlink.h"
#include "../../netns/topology.h"
#include "../bpf_object.h"
#include "../kernel_log.h"
#include "../libbpf_log.h"
#include "../subtest_context.h"
#include "../xdp_features.h"
#include "case_evidence.h"
#include "case_lab.h"
#include "case_steps.h"
#include "jq_observations.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

namespace xdplab {

namespace {

using clock_type = std::chrono::steady_clock;

std::string errno_name(int err)
{
	const char *n = strerrorname_np(err);
	return n ? n : std::to_string(err);
}

void load_objects(CaseLab &lab)
{
	for (const auto &o : lab.spec.objects) {
		try {
			lab.objects[o.name] = std::make_unique<CaseObject>(o, lab.symbols(), lab.events, lab.ctx.ident());
			lab.evidence["load"][o.name] = {{"errno", 0}, {"error", ""}};
		} catch (const BpfLoadError &e) {
			std::string reason = verifier_reason(e.log);
			lab.evidence["load"][o.name] = {{"errno", e.err},
							{"error", errno_name(e.err)},
							{"verifier", reason},
							{"log", e.log.size() > 4000 ? "..." + e.log.substr(e.log.size() - 4000) : e.log}};
			if (!o.may_fail) // not what the case expects: an error that carries the verifier's words
				throw std::runtime_error("object " + o.name + " (" + o.file_as_written + ") did not load: " +
							 e.what());
			lab.failed_objects.insert(o.name);
		}
	}
}

// The namespace a map update must be made in: a devmap resolves an ifindex in
// the caller's namespace, so the one of the link the entry names.
std::string namespace_for(const CaseLab &lab, const MapEntrySpec &e)
{
	std::string ns;
	auto look = [&](const Symbol &s) {
		if (s.fn == "ifindex" && ns.empty())
			ns = lab.net.link(s.arg).ns;
	};
	for_each_symbol(e.value, look);
	for_each_symbol(e.key, look);
	return ns;
}

void fill_maps(CaseLab &lab)
{
	lab.evidence["map_updates"] = json::array();
	for (const auto &e : lab.spec.entries) {
		auto it = lab.objects.find(e.object);
		if (it == lab.objects.end() || !it->second)
			continue; // its object did not load (expected): nothing to fill
		const CaseObject &obj = *it->second;
		bpf_map *m = obj.map(e.map);
		std::vector<uint8_t> key, value;
		try {
			key = encode_value(e.key, obj.key_type(m), lab.symbols());
			value = encode_value(e.value, obj.value_type(m), lab.symbols());
		} catch (const ValueError &err) {
			throw std::runtime_error(e.object + "/" + e.map + " entry " + e.key.dump() + ": " + err.what());
		}
		int err = 0;
		{
			NetnsScope scope(namespace_for(lab, e));
			if (bpf_map_update_elem(bpf_map__fd(m), key.data(), value.data(), BPF_ANY))
				err = errno;
		}
		lab.evidence["map_updates"].push_back({{"map", e.object + "/" + e.map},
							{"key", e.key},
							{"value", e.value},
							{"errno", err},
							{"error", err ? errno_name(err) : ""}});
		if (err && !e.may_fail)
			throw std::runtime_error("map update " + e.object + "/" + e.map + "[" + e.key.dump() +
						 "] = " + e.value.dump() + ": " + strerror(err));
	}
}

// tc ingress programs: never expected to fail (a case observes what they see).
void attach_tc_programs(CaseLab &lab)
{
	for (const auto &l : lab.spec.links) {
		if (!l.tc)
			continue;
		const CaseLink &c = lab.net.link(l.name);
		json rec = {{"program", l.tc->str()}};
		auto obj = lab.objects.find(l.tc->object);
		if (obj == lab.objects.end() || !obj->second) {
			rec["errno"] = nullptr;
			rec["skipped"] = "object " + l.tc->object + " did not load";
			lab.evidence["tc_attach"][l.name] = rec;
			if (lab.network_blocked.empty())
				lab.network_blocked = "object " + l.tc->object + " did not load";
			continue;
		}
		const int fd = lab.program_fd(*l.tc);
		rec["prog_id"] = prog_id_of(fd);
		AttachFailure failure;
		auto att = TcAttachment::try_attach(c.ns, c.dev, fd, failure);
		rec["errno"] = att ? 0 : failure.err;
		lab.evidence["tc_attach"][l.name] = rec;
		if (!att)
			throw std::runtime_error("cannot attach " + l.tc->str() + " to tc ingress of " + l.name + ": " +
						 strerror(failure.err) + (failure.message.empty() ? "" : " (" + failure.message + ")"));
		lab.tc_attachments.push_back(std::move(att));
	}
}

void attach_programs(CaseLab &lab)
{
	for (const auto &l : lab.spec.links) {
		if (!l.xdp)
			continue;
		const CaseLink &c = lab.net.link(l.name);
		json rec = {{"program", l.xdp->program.str()}, {"mode", to_string(l.xdp->mode)}};
		auto obj = lab.objects.find(l.xdp->program.object);
		if (obj == lab.objects.end() || !obj->second) {
			rec["errno"] = nullptr;
			rec["skipped"] = "object " + l.xdp->program.object + " did not load";
			lab.evidence["attach"][l.name] = rec;
			if (lab.network_blocked.empty())
				lab.network_blocked = "object " + l.xdp->program.object + " did not load";
			continue;
		}
		int fd = lab.program_fd(l.xdp->program);
		rec["prog_id"] = prog_id_of(fd);
		AttachFailure failure;
		auto att = XdpAttachment::try_attach(c.ns, c.dev, fd, l.xdp->mode, failure);
		rec["errno"] = att ? 0 : failure.err;
		rec["error"] = att ? "" : errno_name(failure.err);
		rec["extack"] = att ? "" : failure.message;
		rec["command"] = XdpAttachment::command(c.ns, c.dev, prog_id_of(fd), l.xdp->mode);
		lab.evidence["attach"][l.name] = rec;
		if (att) {
			lab.attachments.push_back(std::move(att));
			continue;
		}
		std::string why = "cannot attach " + l.xdp->program.str() + " to " + l.name + " (" +
				  to_string(l.xdp->mode) + "): " + strerror(failure.err) +
				  (failure.message.empty() ? "" : " (" + failure.message + ")");
		if (!l.xdp->may_fail)
			throw std::runtime_error(why);
		if (lab.network_blocked.empty())
			lab.network_blocked = why;
	}
}

// Why a step cannot run after an expected refusal, or "".
std::string blocked(const CaseLab &lab, const StepSpec &s)
{
	if ((s.kind == "frames" || s.kind == "ping" || s.kind == "tcp") && !lab.network_blocked.empty())
		return lab.network_blocked;
	for (const char *key : {"program", "map"})
		if (s.args.is_object() && s.args.contains(key)) {
			std::string obj = s.args[key].get<std::string>().substr(0, s.args[key].get<std::string>().find('/'));
			if (lab.failed_objects.count(obj))
				return "object " + obj + " did not load";
		}
	return "";
}

void run_traffic(CaseLab &lab)
{
	lab.evidence["steps"] = json::object();
	lab.start_collecting();
	for (const auto &s : lab.spec.steps) {
		if (auto why = blocked(lab, s); !why.empty()) {
			lab.evidence["not_run"][s.name] = why; // the refusal the case expects is the answer
			continue;
		}
		lab.evidence["steps"][s.name] = run_step(lab, s);
	}
	lab.poll();
	lab.check_health();
}

// Maps named in `read:`, every object's globals and what every link advertises.
void read_state(CaseLab &lab)
{
	lab.evidence["maps"] = json::object();
	for (const auto &ref : lab.spec.read_maps) {
		auto slash = ref.find('/');
		auto it = lab.objects.find(ref.substr(0, slash));
		lab.evidence["maps"][ref] = it != lab.objects.end() && it->second ? dump_map(*it->second, ref.substr(slash + 1))
										  : json(nullptr);
	}
	lab.evidence["globals"] = json::object();
	lab.evidence["programs"] = json::object();
	for (const auto &[name, obj] : lab.objects)
		if (obj) {
			lab.evidence["globals"][name] = obj->read_globals();
			for (const auto &p : obj->loaded_programs())
				lab.evidence["programs"][name + "/" + p] = obj->program_id(p);
		}
	if (lab.spec.kernel_log) { // the whole buffer: a once-per-boot warning may predate the subtest
		json log = json::array();
		for (const auto &r : read_kernel_log())
			log.push_back({{"seq", r.seq}, {"usec", r.usec}, {"text", r.text}});
		lab.evidence["kernel_log"] = log;
	}
}

void read_features(CaseLab &lab)
{
	lab.evidence["xdp_features"] = json::object();
	for (const auto &[name, l] : lab.net.links) {
		auto f = xdp_features(l.ns, l.ifindex);
		lab.evidence["xdp_features"][name] = f ? json(*f) : json(nullptr);
	}
}

// Every link's counters: the kernel's (IFLA_STATS64, as `ip -s link`) and the driver's (`ethtool -S`).
json read_counters(const CaseLab &lab)
{
	json out = json::object();
	for (const auto &[name, l] : lab.net.links) {
		json ethtool = json::object();
		for (const auto &[k, v] : ethtool_counters(l.ns, l.dev))
			ethtool[k] = v;
		out[name] = {{"link", rtnl::link_state(l.ns, l.ifindex).stats}, {"ethtool", ethtool}};
	}
	return out;
}

// What the traffic moved: after - before, counter by counter.
json counters_moved(const json &before, const json &after)
{
	json out = after;
	for (auto &[link, kinds] : out.items())
		for (auto &[kind, values] : kinds.items())
			for (auto &[k, v] : values.items())
				if (before[link][kind].contains(k))
					v = v.get<unsigned long long>() - before[link][kind][k].get<unsigned long long>();
	return out;
}

std::string evidence_problem(const CaseLab &lab, const Accounting &a)
{
	unsigned long long ringbuf = 0;
	for (const auto &[name, obj] : lab.objects)
		if (obj && obj->instrumented())
			ringbuf += obj->ringbuf_drops();
	auto n = [](unsigned long long v, const char *what) { return std::to_string(v) + " " + what; };
	if (ringbuf)
		return "the ring buffer dropped " + n(ringbuf, "event(s)") + ": observations would be incomplete";
	if (lab.got.socket_drops)
		return "receivers dropped " + n(lab.got.socket_drops, "frame(s)") + ": deliveries would be undercounted";
	if (lab.got.trace_lost)
		return "the trace buffer lost " + n(lab.got.trace_lost, "event(s)") +
		       " while this subtest ran: its tracepoints may be incomplete";
	if (!a.complete())
		return "tagged frames: " + a.line() +
		       " (no receiver saw them, no program dropped them, no kernel record explains them): a lost frame "
		       "proves nothing";
	if (lab.evidence.contains("unaccounted_steps"))
		return "frames of a tool not accounted for: " + lab.evidence["unaccounted_steps"][0].get<std::string>();
	return "";
}

} // namespace

CaseOutcome run_case(const CaseSpec &spec, SubtestContext &ctx)
{
	std::map<std::string, long> phase_ms;
	auto phase_start = clock_type::now();
	auto phase_done = [&](const char *name) {
		auto now = clock_type::now();
		phase_ms[name] = std::chrono::duration_cast<std::chrono::milliseconds>(now - phase_start).count();
		phase_start = now;
	};

	// Declared first, destroyed last: links go only after every detach below.
	Topology topo(ctx.run_id, ctx.scope());
	CaseNetwork net = declare_case_network(topo, spec, ctx);
	topo.apply();
	phase_done("topology");
	ctx.interruption.check();

	CaseLab lab(spec, ctx, net);
	lab.evidence["load"] = json::object();
	lab.evidence["attach"] = json::object();
	{
		LibbpfLogCapture quiet; // libbpf's chatter goes into the evidence, not the terminal
		load_objects(lab);
		fill_maps(lab);
	}
	phase_done("load");
	attach_programs(lab);
	attach_tc_programs(lab);
	read_features(lab);
	phase_done("attach");
	ctx.interruption.check();
	json counters_before = spec.counters ? read_counters(lab) : json();
	run_traffic(lab);
	if (spec.counters)
		lab.evidence["counters"] = counters_moved(counters_before, read_counters(lab));
	phase_done("traffic");
	read_state(lab);

	CaseOutcome out;
	Accounting tagged = lab.account_tagged();
	out.document = evidence_document(lab, tagged);
	out.evidence = evidence_summary(lab, tagged, out.document);
	out.problem = evidence_problem(lab, tagged);
	try {
		out.observations = spec.program->evaluate(out.document);
	} catch (const JqError &e) {
		throw std::runtime_error(std::string("observations: ") + e.what());
	}
	phase_done("observe");
	if (!ctx.options.pcap_dir.empty())
		out.evidence["pcap_file"] = write_pcapng(ctx.options.pcap_dir, spec.id, spec.subtest, lab.frames_for_pcap());

	if (ctx.options.keep) {
		topo.keep();
		for (auto &a : lab.attachments)
			a->keep(); // stays attached: the kernel holds the programs
		for (auto &a : lab.tc_attachments)
			a->keep();
		*ctx.notes << "# kept: " << spec.id << "/" << spec.subtest << " (run " << ctx.run_id << " case "
			   << ctx.case_id << ") is still up. Remove it with: ./run.sh --cleanup   (or by hand:)\n";
		if (out.evidence.contains("pcap_file"))
			*ctx.notes << "# its frames: tcpdump -nn -r " << out.evidence["pcap_file"].get<std::string>() << "\n";
		for (const auto &c : topo.teardown_commands())
			*ctx.notes << c << "\n";
		out.evidence["phases_ms"] = phase_ms;
		return out;
	}
	// Teardown in order, every problem reported: XDP first, then the objects, then the network.
	std::vector<std::string> problems;
	for (auto &a : lab.attachments)
		if (auto p = a->detach())
			problems.push_back(*p);
	lab.attachments.clear();
	for (auto &a : lab.tc_attachments)
		if (auto p = a->detach())
			problems.push_back(*p);
	lab.tc_attachments.clear();
	lab.objects.clear();
	for (auto &p : topo.teardown())
		problems.push_back(p);
	phase_done("teardown");
	out.evidence["phases_ms"] = phase_ms;
	fail_on_teardown_problems(problems);
	return out;
}

void explain_case(std::ostream &o, const CaseSpec &spec, const SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope(), true);
	CaseNetwork net = declare_case_network(topo, spec, ctx);
	for (const auto &c : topo.commands())
		o << c << "\n";
	for (const auto &obj : spec.objects) {
		o << "# load " << obj.file_as_written << " as " << obj.name;
		if (!obj.programs.empty()) {
			o << " (only";
			for (const auto &p : obj.programs)
				o << " " << p;
			o << ")";
		}
		for (const auto &[m, shape] : obj.maps)
			o << "; " << m << (shape.value_size ? " value_size " + std::to_string(*shape.value_size) : "")
			  << (shape.max_entries ? " max_entries " + std::to_string(*shape.max_entries) : "");
		if (!obj.globals.empty())
			o << "; globals " << obj.globals.dump();
		o << (obj.may_fail ? "   # may be refused: then nothing is sent" : "") << "\n";
	}
	for (const auto &e : spec.entries)
		o << "# " << e.object << "/" << e.map << "[" << e.key.dump() << "] = " << e.value.dump()
		  << (e.may_fail ? "   # may be refused" : "") << "\n";
	for (const auto &l : spec.links)
		if (l.xdp) {
			const CaseLink &c = net.link(l.name);
			o << XdpAttachment::command(c.ns, c.dev, 0, l.xdp->mode) << "   # " << l.xdp->program.str()
			  << (l.xdp->may_fail ? " (may be refused: then nothing is sent)" : "") << "\n";
		}
	for (const auto &l : spec.links)
		if (l.tc) {
			const CaseLink &c = net.link(l.name);
			o << TcAttachment::command(c.ns, c.dev, spec.object(l.tc->object)->file_as_written, l.tc->program) << "\n";
		}
	if (spec.counters)
		for (const auto &[name, l] : net.links)
			o << "ip -n " << l.ns << " -s link show dev " << l.dev << "; ip netns exec " << l.ns << " ethtool -S "
			  << l.dev << "   # counters of " << name << ", before and after the traffic\n";
	for (const auto &s : spec.steps)
		o << describe_step(spec, net, s, ctx.options.packets) << "\n";
	o << "# frames sent and captured: "
	  << (ctx.options.pcap_dir.empty() ? "--pcap DIR writes DIR/" : ctx.options.pcap_dir + "/") << spec.id << "--"
	  << spec.subtest << ".pcapng (tcpdump -nn -r FILE)\n";
	o << "# observe (jq over the evidence; --evidence DIR writes it):\n";
	for (const auto &[name, expr] : spec.observe)
		o << "#   " << name << ": " << expr << "\n";
}

} // namespace xdplab
