#include "case_readout.h"

#include "../../netns/ethtool_counters.h"
#include "../../netns/rtnetlink.h"
#include "../kernel_log.h"
#include "../xdp_features.h"
#include "case_map_dump.h"

namespace xdplab {

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

} // namespace xdplab
