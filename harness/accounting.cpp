#include "accounting.h"

#include <algorithm>
#include <cstdlib>

namespace xdplab {

namespace {

long field(const std::map<std::string, std::string> &f, const char *key)
{
	auto it = f.find(key);
	return it == f.end() ? 0 : std::strtol(it->second.c_str(), nullptr, 0);
}

std::string value(const std::map<std::string, std::string> &f, const char *key)
{
	auto it = f.find(key);
	return it == f.end() ? "" : it->second;
}

} // namespace

nlohmann::json Accounting::to_json() const
{
	nlohmann::json j = {{"sent", sent},
			    {"delivered", delivered},
			    {"dropped_by_program", dropped_by_program},
			    {"dropped_by_entry_prog", dropped_by_entry_prog},
			    {"dropped_by_kernel", dropped_by_kernel},
			    {"parked", parked},
			    {"unaccounted", unaccounted},
			    {"line", line()}};
	if (!kernel_drops.empty())
		j["kernel_drops"] = kernel_drops;
	if (!parked_on.empty()) {
		j["parked_on_ifindex"] = parked_on;
		for (int i : parked_on)
			if (device_names.count(i))
				j["parked_on"].push_back(device_names.at(i));
	}
	return j;
}

std::string Accounting::line() const
{
	std::string s = std::to_string(sent) + " sent: " + std::to_string(delivered) + " delivered";
	if (dropped_by_program)
		s += ", " + std::to_string(dropped_by_program) + " dropped by a program's verdict";
	if (dropped_by_entry_prog)
		s += ", " + std::to_string(dropped_by_entry_prog) + " dropped by a devmap entry program";
	if (dropped_by_kernel) {
		s += ", " + std::to_string(dropped_by_kernel) + " dropped by the kernel (";
		bool first = true;
		for (const auto &[why, n] : kernel_drops) {
			s += (first ? "" : ", ") + why + ": " + std::to_string(n);
			first = false;
		}
		s += ")";
	}
	if (parked) {
		s += ", " + std::to_string(parked) + " parked (accepted for transmission by";
		bool first = true;
		for (int i : parked_on) {
			auto name = device_names.find(i);
			s += (first ? " " : ", ") +
			     (name != device_names.end() ? name->second + " (ifindex " + std::to_string(i) + ")"
							 : "ifindex " + std::to_string(i));
			first = false;
		}
		s += ", never received: queued in the peer's ring, not polled)";
	}
	if (unaccounted)
		s += ", " + std::to_string(unaccounted) + " NOT ACCOUNTED FOR";
	return s;
}

Accounting account(const Flow &f)
{
	Accounting a;
	a.sent = static_cast<int>(f.sent.size());
	std::set<uint32_t> done;
	auto take = [&](const std::set<uint32_t> &ids, int &count) {
		for (uint32_t id : ids)
			if (f.sent.count(id) && done.insert(id).second)
				++count;
	};
	take(f.delivered, a.delivered);
	take(f.program_drops, a.dropped_by_program);
	take(f.entry_prog_drops, a.dropped_by_entry_prog);
	for (const auto &[id, reason] : f.skb_drops)
		if (f.sent.count(id) && done.insert(id).second) {
			++a.dropped_by_kernel;
			a.kernel_drops["kfree_skb " + reason]++;
		}
	int remaining = a.sent - static_cast<int>(done.size());

	// The tracepoints count drops, not frames by id: they explain at most what is left.
	int xmit_drops = 0, accepted = 0, abort_lines = 0;
	std::map<std::string, int> counted;
	std::set<int> accepted_on;
	for (const auto &t : f.tracepoints) {
		auto fl = trace_fields(t.body);
		std::string err = " err=" + std::to_string(field(fl, "err"));
		if (t.event == "xdp_redirect_err" || t.event == "xdp_redirect_map_err") {
			counted[t.event + err] += 1;
		} else if (t.event == "xdp_exception") {
			unsigned prog = static_cast<unsigned>(field(fl, "prog_id"));
			std::string action = value(fl, "action");
			if (f.entry_progs.count(prog))
				continue;
			if (action == "ABORTED" && f.case_programs.count(prog)) {
				++abort_lines; // a program's own verdict, which it may also have recorded
				continue;
			}
			counted["xdp_exception " + action] += 1;
		} else if (t.event == "xdp_devmap_xmit") {
			xmit_drops += static_cast<int>(field(fl, "drops"));
			if (field(fl, "drops"))
				counted["xdp_devmap_xmit" + err] += 0; // filled below, after the entry programs' share
			accepted += static_cast<int>(field(fl, "sent"));
			if (field(fl, "sent"))
				accepted_on.insert(static_cast<int>(field(fl, "to_ifindex")));
		} else if (t.event == "xdp_bulk_tx") {
			if (field(fl, "drops"))
				counted["xdp_bulk_tx" + err] += static_cast<int>(field(fl, "drops"));
			accepted += static_cast<int>(field(fl, "sent"));
			if (field(fl, "sent"))
				accepted_on.insert(static_cast<int>(field(fl, "ifindex")));
		}
	}
	// XDP_ABORTED the programs did not record themselves: the kernel's word for them.
	int aborts = std::min(std::max(0, remaining), std::max(0, abort_lines - f.program_abort_records));
	a.dropped_by_program += aborts;
	remaining -= aborts;
	// 5.14+ counts an entry program's non-PASS verdict in xdp_devmap_xmit's
	// drops too: those frames are already explained.
	int devmap_drops = std::max(0, xmit_drops - f.entry_prog_drop_records);
	for (auto &[why, n] : counted)
		if (why.rfind("xdp_devmap_xmit", 0) == 0) {
			n = devmap_drops;
			devmap_drops = 0;
		}
	remaining = std::max(0, remaining);
	for (const auto &[why, n] : counted) {
		int used = std::min(remaining, n);
		if (used <= 0)
			continue;
		a.kernel_drops[why] += used;
		a.dropped_by_kernel += used;
		remaining -= used;
	}
	int parked = std::min(remaining, std::max(0, accepted - a.delivered));
	if (parked > 0) {
		a.parked = parked;
		a.parked_on = accepted_on;
		for (int i : accepted_on)
			if (f.device_names.count(i))
				a.device_names[i] = f.device_names.at(i);
		remaining -= parked;
	}
	a.unaccounted = remaining;
	return a;
}

} // namespace xdplab
