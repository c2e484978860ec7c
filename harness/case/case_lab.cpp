#include "case_lab.h"

#include "../bpf_object.h"
#include "../subtest_context.h"
#include "../trace_collector.h"

#include <algorithm>
#include <thread>

namespace xdplab {

namespace {
constexpr int kXdpAborted = 0, kXdpDrop = 1, kXdpPass = 2;
}

CaseLab::CaseLab(const CaseSpec &s, SubtestContext &c, const CaseNetwork &n) : spec(s), ctx(c), net(n) {}

SymbolValues CaseLab::symbols() const
{
	SymbolValues v;
	v.ifindex = [this](const std::string &link) { return net.link(link).ifindex; };
	v.mac = [this](const std::string &link) {
		Mac m = parse_mac(net.link(link).mac);
		return std::vector<uint8_t>(m.begin(), m.end());
	};
	auto ref = [](const std::string &s) {
		auto slash = s.find('/');
		return ProgramRef{s.substr(0, slash), s.substr(slash + 1)};
	};
	v.prog_fd = [this, ref](const std::string &p) { return program_fd(ref(p)); };
	v.prog_id = [this, ref](const std::string &p) { return program_id(ref(p)); };
	return v;
}

int CaseLab::program_fd(const ProgramRef &p) const
{
	auto it = objects.find(p.object);
	if (it == objects.end() || !it->second)
		throw std::runtime_error("object " + p.object + " is not loaded");
	return it->second->program_fd(p.program);
}

unsigned CaseLab::program_id(const ProgramRef &p) const
{
	return prog_id_of(program_fd(p));
}

void CaseLab::start_collecting()
{
	if (collecting_)
		return;
	who_ = {ctx.run_tag, ctx.case_id, {}, {}};
	for (const auto &[name, obj] : objects) {
		if (!obj)
			continue;
		for (const auto &p : obj->loaded_programs()) {
			unsigned id = obj->program_id(p);
			who_.prog_ids.insert(id);
			programs_.case_programs.insert(id);

		}
	}
	for (const auto &[name, l] : net.links) {
		who_.ifindexes.insert(l.ifindex);
		programs_.device_names[l.ifindex] = name;
	}
	// Programs stored in devmap entries: their verdicts are stage-2 events.
	for (const auto &e : spec.entries)
		for_each_symbol(e.value, [&](const Symbol &s) {
			auto slash = s.arg.find('/');
			if (s.fn == "prog" && objects.count(s.arg.substr(0, slash)))
				programs_.entry_progs.insert(program_id({s.arg.substr(0, slash), s.arg.substr(slash + 1)}));
		});
	// Programs that do not record their own verdicts (objects that do not
	// include bpf/xdplab.bpf.h): the kernel tells them through fexit.
	for (const auto &l : spec.links) {
		if (!l.xdp || !objects.count(l.xdp->program.object) || !objects.at(l.xdp->program.object))
			continue;
		const CaseObject &obj = *objects.at(l.xdp->program.object);
		std::string ref = l.xdp->program.str();
		if (obj.instrumented() ||
		    std::find(watched_programs.begin(), watched_programs.end(), ref) != watched_programs.end())
			continue;
		if (!ctx.drops) {
			unwatched.push_back(ref + ": " + ctx.drops_unwatched);
			continue;
		}
		try {
			unsigned id = program_id(l.xdp->program);
			verdict_watches_.push_back(ctx.drops->watch(program_fd(l.xdp->program), l.xdp->program.program, id));
			watched_ids_.insert(id);
			watched_programs.push_back(ref);
		} catch (const std::exception &e) {
			unwatched.push_back(ref + ": " + e.what());
		}
	}
	for (const auto &[name, link] : spec.receivers) {
		const CaseLink &l = net.link(link);
		receivers_.emplace_back(name, std::make_unique<FrameReceiver>(l.ns, l.dev, ctx.run_tag, ctx.case_id));
		got.received[name];
	}
	trace_cursor_ = ctx.trace->cursor(); // earlier lines are not this subtest's
	if (ctx.drops)
		drop_cursor_ = ctx.drops->cursor();
	lost_before_ = ctx.trace->lost_events();
	collecting_ = true;
}

std::vector<PcapInterface> CaseLab::frames_for_pcap() const
{
	const std::string subtest = spec.id + "/" + spec.subtest;
	auto where = [&](const std::string &link) {
		const CaseLink &l = net.link(link);
		return "link " + link + ", device " + l.dev + " in netns " + l.ns;
	};
	std::vector<PcapInterface> out;
	for (const auto &[link, frames] : sent) {
		PcapInterface i{link, subtest + ": sent from " + where(link), {}};
		for (const auto &f : frames)
			i.frames.push_back({f.ts_ns, f.bytes, f.len, true, ""});
		out.push_back(std::move(i));
	}
	for (const auto &[name, rx] : receivers_) {
		PcapInterface i{name, subtest + ": receiver " + name + " (" + where(spec.receivers.at(name)) + ")", {}};
		const auto &tagged = rx->frames();
		const auto &raw = rx->raw_frames();
		for (size_t k = 0; k < raw.size(); ++k)
			i.frames.push_back({raw[k].ts_ns, raw[k].bytes, raw[k].len, false,
					    k < tagged.size() ? "seq " + std::to_string(tagged[k].seq) : ""});
		out.push_back(std::move(i));
	}
	return out;
}

size_t CaseLab::poll()
{
	size_t n = 0;
	for (auto &[name, rx] : receivers_) {
		size_t fresh = static_cast<size_t>(rx->poll_once());
		n += fresh;
		if (fresh || !got.received.count(name)) // a copy only when it changed: polls are frequent
			got.received[name] = rx->frames();
	}
	auto evs = events.drain();
	n += evs.size();
	got.events.insert(got.events.end(), evs.begin(), evs.end());
	for (auto &rec : ctx.trace->since(trace_cursor_)) {
		if (rec.event == "bpf_trace_printk") {
			if (auto msg = stage_message(rec, ctx.run_tag, ctx.case_id))
				got.stage_lines.push_back(rec.task + " [" + std::to_string(rec.cpu) + "] " + *msg);
		} else if (is_subtests_tracepoint(rec, who_)) {
			got.tracepoints.push_back(rec);
			++n;
		}
	}
	if (ctx.drops)
		for (auto &d : ctx.drops->since(drop_cursor_))
			if (d.kind == DropRecord::Kind::Verdict ? watched_ids_.count(d.prog_id) > 0
								: who_.ifindexes.count(d.ifindex) > 0) {
				got.drops.push_back(std::move(d));
				++n;
			}
	return n;
}

void CaseLab::add_drop_evidence(Flow &f, size_t from,
				const std::function<std::optional<uint32_t>(const DropRecord &)> &id_of) const
{
	for (size_t i = from; i < got.drops.size(); ++i) {
		const DropRecord &d = got.drops[i];
		auto id = id_of(d);
		if (!id)
			continue;
		if (d.kind == DropRecord::Kind::KfreeSkb) {
			std::string reason = ctx.drops->reason_name(d.value), where = ctx.drops->symbol(d.location);
			f.skb_drops.emplace(*id, (reason.empty() ? "(no reasons before 5.17)" : reason) +
							 (where.empty() ? "" : " at " + where));
		} else if (d.value == kXdpAborted || d.value == kXdpDrop) {
			f.program_drops.insert(*id);
			f.program_abort_records += d.value == kXdpAborted;
		}
	}
}

void CaseLab::check_health()
{
	if (!collecting_)
		return;
	unsigned long long drops = 0;
	for (auto &[name, rx] : receivers_)
		drops += rx->drops();
	got.socket_drops = drops;
	got.trace_lost = ctx.trace->lost_events() - lost_before_;
}

Flow CaseLab::flow_base(size_t from) const
{
	Flow f = programs_;
	f.tracepoints.assign(got.tracepoints.begin() + static_cast<long>(std::min(from, got.tracepoints.size())),
			     got.tracepoints.end());
	return f;
}

Accounting CaseLab::account_tagged() const
{
	Flow f = flow_base(0);
	for (uint32_t s = 0; s < next_seq; ++s)
		f.sent.insert(s);
	for (const auto &[name, frames] : got.received)
		for (const auto &fr : frames)
			f.delivered.insert(fr.seq);
	for (const auto &e : got.events) {
		if (e.stage == XDPLAB_STAGE_INGRESS_EXIT && (e.action == kXdpAborted || e.action == kXdpDrop) &&
		    !f.delivered.count(e.seq)) {
			f.program_drops.insert(e.seq);
			f.program_abort_records += e.action == kXdpAborted;
		}
		if (e.stage == XDPLAB_STAGE_EGRESS && e.action != kXdpPass) {
			++f.entry_prog_drop_records;
			if (!f.delivered.count(e.seq) && !f.program_drops.count(e.seq))
				f.entry_prog_drops.insert(e.seq);
		}
	}
	add_drop_evidence(f, 0, [this](const DropRecord &d) -> std::optional<uint32_t> {
		auto t = record_tag(d);
		if (t && t->run_id == ctx.run_tag && t->case_id == ctx.case_id)
			return t->seq;
		return std::nullopt;
	});
	return account(f);
}

void CaseLab::wait_accounted()
{
	using clock = std::chrono::steady_clock;
	const auto quiet = std::chrono::milliseconds(ctx.options.settle_ms);
	const auto deadline = clock::now() + std::chrono::milliseconds(ctx.options.timeout_ms);
	auto last_arrival = clock::now();
	poll();
	Accounting a = account_tagged();
	for (;;) {
		ctx.interruption.check();
		if (poll()) { // accounting only when something new came: polls are frequent
			last_arrival = clock::now();
			a = account_tagged();
		}
		auto now = clock::now();
		// Frames counted as parked may still be on their way: they are parked
		// only once nothing has moved for the quiet time.
		bool settled = (!spec.wait_for_copies && a.parked == 0) || now - last_arrival >= quiet;
		if ((a.complete() && settled) || now >= deadline)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	}
}

} // namespace xdplab
