#include "accounting.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace xdplab {

namespace {
constexpr int kXdpAborted = 0, kXdpDrop = 1, kXdpPass = 2;

long field(const std::map<std::string, std::string> &f, const char *key)
{
	auto it = f.find(key);
	return it == f.end() ? 0 : std::strtol(it->second.c_str(), nullptr, 0);
}
} // namespace

nlohmann::json Accounting::to_json() const
{
	return {{"sent", sent},
		{"delivered", delivered},
		{"dropped_by_program", dropped_by_program},
		{"dropped_by_entry_prog", dropped_by_entry_prog},
		{"dropped_by_kernel", dropped_by_kernel},
		{"unaccounted", unaccounted}};
}

int kernel_drops(const std::vector<TraceRecord> &tracepoints, const ProgIds &progs, int entry_prog_drops)
{
	int drops = 0, xmit_drops = 0;
	for (const auto &t : tracepoints) {
		auto f = trace_fields(t.body);
		if (t.event == "xdp_redirect_err" || t.event == "xdp_redirect_map_err") {
			drops += 1;
		} else if (t.event == "xdp_exception") {
			unsigned prog = static_cast<unsigned>(field(f, "prog_id"));
			bool ingress_abort = prog == progs.ingress && f["action"] == "ABORTED";
			if (!ingress_abort && prog != progs.entry)
				drops += 1; // e.g. a failed XDP_TX
		} else if (t.event == "xdp_devmap_xmit") {
			xmit_drops += static_cast<int>(field(f, "drops"));
		}
	}
	return drops + std::max(0, xmit_drops - entry_prog_drops);
}

Accounting account(int sent, const std::vector<xdplab_event> &events,
		   const std::map<std::string, std::vector<CapturedFrame>> &received,
		   const std::vector<TraceRecord> &tracepoints, const ProgIds &progs)
{
	auto in_range = [sent](uint32_t seq) { return seq < static_cast<uint32_t>(sent); };
	std::set<uint32_t> delivered, program, entry;
	for (const auto &[role, frames] : received)
		for (const auto &f : frames)
			if (in_range(f.seq))
				delivered.insert(f.seq);
	int entry_events = 0;
	for (const auto &e : events) {
		if (!in_range(e.seq))
			continue;
		if (e.stage == XDPLAB_STAGE_INGRESS_EXIT && (e.action == kXdpAborted || e.action == kXdpDrop) &&
		    !delivered.count(e.seq))
			program.insert(e.seq);
		if (e.stage == XDPLAB_STAGE_EGRESS && e.action != kXdpPass) {
			++entry_events;
			if (!delivered.count(e.seq) && !program.count(e.seq))
				entry.insert(e.seq);
		}
	}
	Accounting a;
	a.sent = sent;
	a.delivered = static_cast<int>(delivered.size());
	a.dropped_by_program = static_cast<int>(program.size());
	a.dropped_by_entry_prog = static_cast<int>(entry.size());
	int remaining = sent - a.delivered - a.dropped_by_program - a.dropped_by_entry_prog;
	a.dropped_by_kernel = std::min(std::max(remaining, 0), kernel_drops(tracepoints, progs, entry_events));
	a.unaccounted = std::max(0, remaining - a.dropped_by_kernel);
	return a;
}

} // namespace xdplab
