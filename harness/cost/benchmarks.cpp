#include "benchmarks.h"

#include "runner.h"

#include <cstdio>
#include <map>

namespace xdplab::cost {

using json = nlohmann::json;

json to_json(const Stat &s)
{
	return {{"median", s.median}, {"min", s.min}, {"max", s.max}, {"spread", s.spread}, {"n", s.n}};
}

Stat stat_from_json(const json &j)
{
	Stat s;
	s.median = j.at("median").get<double>();
	s.min = j.at("min").get<double>();
	s.max = j.at("max").get<double>();
	s.spread = j.at("spread").get<double>();
	s.n = j.value("n", 0);
	return s;
}

json benchmarks_json(const std::vector<CaseOutcome> &outcomes, const std::string &cpu_accounting)
{
	std::map<std::string, const CaseOutcome *> measured;
	for (const auto &o : outcomes)
		if (o.figures)
			measured[o.c.name] = &o;
	json cases = json::array();
	for (const auto &o : outcomes) {
		json c = {{"name", o.c.name},
			  {"what", o.c.what},
			  {"sink", o.c.sink},
			  {"mode", o.c.mode == XdpMode::Native ? "native" : "generic"},
			  {"status", o.status},
			  {"reason", o.reason},
			  {"base", o.c.base},
			  {"injected", o.injected},
			  {"frames_per_repetition", o.per_repetition},
			  {"delivered", o.delivered},
			  {"expected_delivered", o.expected_delivered},
			  {"cpu", o.cpu}};
		c["samples"] = json::array();
		for (const auto &s : o.samples)
			c["samples"].push_back({{"packets", s.packets}, {"wall_ns", s.wall_ns}, {"cpu_ns", s.cpu_ns}});
		if (o.figures) {
			c["mpps"] = to_json(o.figures->mpps);
			c["ns_per_packet"] = to_json(o.figures->ns_per_packet);
			auto base = measured.find(o.c.base);
			if (base != measured.end()) {
				Difference d = difference(o.figures->ns_per_packet, base->second->figures->ns_per_packet);
				c["cost_over_base"] = {
					{"ns", d.ns}, {"low", d.low}, {"high", d.high}, {"significant", d.significant()}};
			}
		}
		cases.push_back(c);
	}
	return {{"injection", "BPF_PROG_TEST_RUN, BPF_F_TEST_XDP_LIVE_FRAMES, batch 64"},
		{"cpu_accounting", cpu_accounting},
		{"cases", cases}};
}

std::string figure_text(const Stat &s, const char *unit, int precision)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%.*f %s (%.*f-%.*f, spread %.1f %%)", precision, s.median, unit, precision, s.min,
		 precision, s.max, s.spread * 100);
	return buf;
}

void print_bench_table(std::ostream &out, const json &benchmarks)
{
	char line[512];
	snprintf(line, sizeof(line), "%-26s %-36s %-40s %-30s %s\n", "CASE", "Mpps (min-max, spread)",
		 "CPU ns/packet (min-max, spread)", "SINK", "COST OVER BASE (noise band)");
	out << line;
	for (const auto &c : benchmarks.at("cases")) {
		if (c.value("status", "") != "measured") {
			out << c.value("name", "") << ": " << c.value("status", "") << ": " << c.value("reason", "") << "\n";
			continue;
		}
		std::string cost = "";
		if (c.contains("cost_over_base")) {
			const auto &d = c["cost_over_base"];
			char b[160];
			snprintf(b, sizeof(b), "%+.1f ns over %s [%+.1f, %+.1f]%s", d.at("ns").get<double>(),
				 c.value("base", "").c_str(), d.at("low").get<double>(), d.at("high").get<double>(),
				 d.at("significant").get<bool>() ? "" : " (noise)");
			cost = b;
		}
		snprintf(line, sizeof(line), "%-26s %-36s %-40s %-30s %s\n", c.value("name", "").c_str(),
			 figure_text(stat_from_json(c.at("mpps")), "Mpps", 2).c_str(),
			 figure_text(stat_from_json(c.at("ns_per_packet")), "ns", 1).c_str(),
			 c.value("sink", "").c_str(), cost.c_str());
		out << line;
	}
	if (benchmarks.contains("anchor"))
		for (const auto &a : benchmarks["anchor"].value("cases", json::array())) {
			if (a.value("status", "") != "measured") {
				out << "anchor " << a.value("name", "") << ": " << a.value("status", "") << ": "
				    << a.value("reason", "") << "\n";
				continue;
			}
			snprintf(line, sizeof(line), "anchor %-19s xdplab %s, %s %s: ratio %.3f\n",
				 a.value("name", "").c_str(),
				 figure_text(stat_from_json(a.at("xdplab").at("ns_per_packet")), "ns", 1).c_str(),
				 a.value("tool", "").c_str(),
				 figure_text(stat_from_json(a.at("anchor").at("ns_per_packet")), "ns", 1).c_str(),
				 a.at("ratio").get<double>());
			out << line;
		}
}

} // namespace xdplab::cost
