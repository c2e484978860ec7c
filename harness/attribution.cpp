#include "attribution.h"

#include <cstdlib>

namespace xdplab {

bool is_subtests_tracepoint(const TraceRecord &r, const SubtestIdentity &id)
{
	if (r.event == "bpf_trace_printk" || r.event == "0")
		return false;
	auto f = trace_fields(r.body);
	auto number = [&](const char *k) { return std::strtol(f[k].c_str(), nullptr, 0); };
	if (f.count("prog_id"))
		return id.prog_ids.count(static_cast<unsigned>(number("prog_id"))) > 0;
	if (f.count("from_ifindex") && f.count("to_ifindex"))
		return id.ifindexes.count(static_cast<int>(number("from_ifindex"))) &&
		       id.ifindexes.count(static_cast<int>(number("to_ifindex")));
	// xdp_bulk_tx names one device only: a run-unique index is ours alone.
	if (f.count("ifindex"))
		return id.ifindexes.count(static_cast<int>(number("ifindex"))) > 0;
	return false;
}

} // namespace xdplab
