#include "case_evidence.h"

#include "../subtest_context.h"
#include "../trace_collector.h"

namespace xdplab {

namespace {

json event_json(const xdplab_event &e, size_t index)
{
	return {{"index", index},
		{"stage", e.stage},
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

// kfree_skb records on the subtest's links and its watched programs'
// verdicts, with what each is about.
json drop_records_json(const CaseLab &lab)
{
	static const char *actions[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"};
	json out = json::array();
	for (const auto &d : lab.got.drops) {
		json j;
		if (d.kind == DropRecord::Kind::KfreeSkb) {
			j = {{"kind", "kfree_skb"}, {"ifindex", d.ifindex}, {"reason", lab.ctx.drops->reason_name(d.value)},
			     {"at", lab.ctx.drops->symbol(d.location)}};
		} else {
			j = {{"kind", "verdict"}, {"prog_id", d.prog_id}, {"action", d.value < 5 ? actions[d.value] : std::to_string(d.value)}};
		}
		if (auto t = record_tag(d); t && t->run_id == lab.ctx.run_tag && t->case_id == lab.ctx.case_id)
			j["seq"] = t->seq;
		else if (auto e = record_echo(d))
			j["echo"] = {{"id", e->id}, {"seq", e->seq}, {"reply", e->reply}, {"ipv6", e->ipv6}};
		out.push_back(j);
	}
	return out;
}

// A decimal integer as the tracepoints print them ("-6", "484704288") that a
// long long holds; longer ones stay text.
bool decimal(const std::string &v)
{
	size_t i = !v.empty() && v[0] == '-';
	return i < v.size() && v.size() <= 18 && v.find_first_not_of("0123456789", i) == std::string::npos;
}

} // namespace

// The fields parsed; the line itself stays out of the document (a run with
// thousands of records would carry it twice, and every subtest's document is
// handed to jq whole).
json tracepoint_json(const TraceRecord &t)
{
	json j = {{"event", t.event}, {"timestamp", t.timestamp}, {"cpu", t.cpu}};
	for (const auto &[k, v] : trace_fields(t.body))
		j[k] = decimal(v) ? json(std::stoll(v, nullptr, 10)) : json(v);
	return j;
}

json evidence_document(const CaseLab &lab, const Accounting &tagged)
{
	json d = lab.evidence;
	d["subtest"] = lab.spec.subtest;
	d["packets"] = lab.next_seq;
	json links = json::object();
	for (const auto &[name, l] : lab.net.links)
		links[name] = {{"ifindex", l.ifindex},       {"mac", l.mac},   {"ns", l.ns_role},
			       {"netns", l.ns},              {"dev", l.dev},   {"peer", l.peer},
			       {"peer_ifindex", l.peer_ifindex}, {"addresses", l.addresses}};
	d["links"] = links;
	d["receivers"] = lab.spec.receivers;
	json events = json::array();
	for (size_t i = 0; i < lab.got.events.size(); ++i)
		events.push_back(event_json(lab.got.events[i], i));
	d["events"] = events;
	json received = json::object(), delivered = json::object();
	for (const auto &[name, link] : lab.spec.receivers) { // receivers that saw nothing (or never ran) too
		received[name] = json::array();
		delivered[name] = 0;
	}
	for (const auto &[name, frames] : lab.got.received) {
		json list = json::array();
		for (const auto &f : frames)
			list.push_back({{"seq", f.seq}, {"len", f.len}, {"pkt_byte", f.pkt_byte}, {"dst", mac_str(f.dst)},
					{"src", mac_str(f.src)}});
		received[name] = list;
		delivered[name] = frames.size();
	}
	d["received"] = received;
	d["delivered"] = delivered;
	json tps = json::array();
	for (const auto &t : lab.got.tracepoints)
		tps.push_back(tracepoint_json(t));
	d["tracepoints"] = tps;
	d["drops"] = drop_records_json(lab);
	d["accounting"] = tagged.to_json();
	return d;
}

json evidence_summary(const CaseLab &lab, const Accounting &tagged, const json &doc)
{
	json s = lab.evidence;
	s["packets_sent"] = lab.next_seq;
	if (s.contains("kernel_log")) {
		// The observations read the whole buffer (a once-per-boot warning
		// may predate the run); the results keep the run's own lines.
		json during = json::array();
		for (const auto &r : s["kernel_log"])
			if (r["seq"].get<unsigned long long>() >= lab.ctx.kernel_log_from)
				during.push_back(r);
		s["kernel_log"] = {{"records_in_buffer", s["kernel_log"].size()}, {"during_run", during}};
	}
	s["accounting"] = tagged.to_json();
	s["ifindex"] = json::object();
	for (const auto &[name, l] : lab.net.links)
		s["ifindex"][name] = l.ifindex;
	json per_stage = json::object(), first = json::array();
	for (const auto &e : doc["events"]) {
		std::string k = std::to_string(e["stage"].get<int>());
		per_stage[k] = per_stage.value(k, 0) + 1;
		if (e["seq"] == 0)
			first.push_back(e);
	}
	s["ringbuf_events_per_stage"] = per_stage;
	if (!first.empty())
		s["events_of_first_frame"] = first;
	json rx = json::object();
	for (const auto &[name, frames] : lab.got.received) {
		json r = {{"link", lab.spec.receivers.at(name)}, {"tagged_frames", frames.size()}};
		if (!frames.empty())
			r["first_frame_pkt_byte"] = frames.front().pkt_byte;
		rx[name] = r;
	}
	s["receivers"] = rx;
	json tps = json::object();
	for (const auto &t : lab.got.tracepoints) {
		if (!tps.contains(t.event))
			tps[t.event] = {{"count", 0}, {"first", t.raw}};
		tps[t.event]["count"] = tps[t.event]["count"].get<int>() + 1;
	}
	s["tracepoints"] = tps;
	if (lab.ctx.trace && lab.ctx.trace->has_event("bpf_trace/bpf_trace_printk")) {
		json lines = json::array();
		for (size_t i = 0; i < lab.got.stage_lines.size() && i < 12; ++i)
			lines.push_back(lab.got.stage_lines[i]);
		s["trace_pipe_stage_lines"] = {{"count", lab.got.stage_lines.size()}, {"first", lines}};
	}
	json drops = json::object();
	for (const auto &d : doc["drops"]) {
		std::string key = d["kind"] == "kfree_skb" ? "kfree_skb " + d["reason"].get<std::string>()
							  : "verdict " + d["action"].get<std::string>();
		drops[key] = drops.value(key, 0) + 1;
	}
	s["drop_records"] = drops;
	if (!lab.watched_programs.empty())
		s["verdicts_watched"] = lab.watched_programs;
	if (!lab.unwatched.empty())
		s["verdicts_not_watched"] = lab.unwatched;
	if (!lab.ctx.drops)
		s["kfree_skb_not_watched"] = lab.ctx.drops_unwatched;
	s["health"] = {{"socket_drops", lab.got.socket_drops}, {"trace_lost_events", lab.got.trace_lost}};
	return s;
}

} // namespace xdplab
