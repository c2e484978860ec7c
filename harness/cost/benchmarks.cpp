#include "benchmarks.h"

#include "runner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

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

namespace {

// The samples figures are taken from: those of undisturbed rounds.
std::vector<double> per_packet(const std::vector<Sample> &samples)
{
	std::vector<double> out;
	for (const auto &s : samples)
		if (!s.disturbed)
			out.push_back(ns_per_packet(s));
	return out;
}

// The feature's cost from the rounds both cases were measured in; the
// differences themselves split into levels: "unstable", both levels given.
json paired_cost(const std::vector<Sample> &feature, const std::vector<Sample> &base,
		const std::vector<double> &states)
{
	std::map<int, double> base_by_round;
	for (const auto &s : base)
		if (!s.disturbed)
			base_by_round[s.round] = ns_per_packet(s);
	std::vector<double> f, b;
	for (const auto &s : feature)
		if (auto it = base_by_round.find(s.round); !s.disturbed && it != base_by_round.end()) {
			f.push_back(ns_per_packet(s));
			b.push_back(it->second);
		}
	if (f.empty())
		return {{"status", "no rounds in common"}};
	PairedDifference rounds_only = paired_difference(f, b);
	PairedDifference d = with_states(rounds_only, states);
	json out = {{"ns", d.ns},
		    {"low", d.low},
		    {"high", d.high},
		    {"median_interval", {d.median_low, d.median_high}},
		    {"rounds_band", {rounds_only.low, rounds_only.high}},
		    {"states", {d.state_low, d.state_high}},
		    {"pairs", d.n},
		    {"significant", d.significant()}};
	std::vector<double> diffs;
	for (size_t i = 0; i < f.size(); ++i)
		diffs.push_back(f[i] - b[i]);
	// A gap in the differences as wide as the precision the bench promises (5 ns or 10 % of the base).
	if (auto levels = split_levels(diffs, std::max(5.0, 0.1 * stat_of(b).median)))
		out["unstable"] = {{"low", levels->low}, {"high", levels->high}};
	return out;
}

} // namespace

std::vector<std::vector<double>> rounds_by_case(const std::vector<CaseOutcome> &outcomes, bool undisturbed_only)
{
	size_t rounds = 0;
	for (const auto &o : outcomes)
		for (const auto &s : o.samples)
			rounds = std::max(rounds, static_cast<size_t>(s.round + 1));
	std::vector<std::vector<double>> by_case;
	for (const auto &o : outcomes) {
		by_case.emplace_back(rounds, std::nan(""));
		if (o.status == "measured")
			for (const auto &s : o.samples)
				if (s.round >= 0 && !(undisturbed_only && s.disturbed))
					by_case.back()[static_cast<size_t>(s.round)] = ns_per_packet(s);
	}
	return by_case;
}

json benchmarks_json(const std::vector<CaseOutcome> &outcomes, const std::string &cpu_accounting)
{
	std::map<std::string, const CaseOutcome *> measured;
	for (const auto &o : outcomes)
		if (o.figures)
			measured[o.c.name] = &o;
	std::vector<double> states = round_states(rounds_by_case(outcomes, true));
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
			c["samples"].push_back({{"packets", s.packets}, {"wall_ns", s.wall_ns}, {"cpu_ns", s.cpu_ns},
						{"round", s.round}, {"steal_ns", s.steal_ns},
						{"others_kernel_ns", s.others_kernel_ns}, {"disturbed", s.disturbed}});
		if (o.figures) {
			c["mpps"] = to_json(o.figures->mpps);
			c["ns_per_packet"] = to_json(o.figures->ns_per_packet);
			if (auto levels = split_levels(per_packet(o.samples), 0.2 * o.figures->ns_per_packet.median))
				c["unstable"] = {{"low", levels->low}, {"high", levels->high}, {"n_low", levels->n_low},
						 {"n_high", levels->n_high}};
			auto base = measured.find(o.c.base);
			if (base != measured.end())
				c["cost_over_base"] = paired_cost(o.samples, base->second->samples, states);
		}
		cases.push_back(c);
	}
	return {{"injection", "BPF_PROG_TEST_RUN, BPF_F_TEST_XDP_LIVE_FRAMES, batch 64"},
		{"method", "rounds: every case once per round in a shuffled order; a feature's cost is the median of "
			   "the paired differences (same round); its band holds the distribution-free 95 % interval of that median "
			   "and where another run's median lands, 95 % (exact bootstrap of the rounds), widened by the cost times "
			   "the machine's states the rounds passed through (round_states)"},
		{"round_states", states},
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
		if (c.contains("cost_over_base") && c["cost_over_base"].contains("ns")) {
			const auto &d = c["cost_over_base"];
			char b[200];
			snprintf(b, sizeof(b), "%+.1f ns over %s [%+.1f, %+.1f], %d pairs%s%s", d.at("ns").get<double>(),
				 c.value("base", "").c_str(), d.at("low").get<double>(), d.at("high").get<double>(),
				 d.value("pairs", 0), d.at("significant").get<bool>() ? "" : " (noise)",
				 d.contains("unstable") ? " UNSTABLE" : "");
			cost = b;
		}
		// Samples in two levels are not one figure: both levels, never a median.
		std::string per_packet = figure_text(stat_from_json(c.at("ns_per_packet")), "ns", 1);
		if (c.contains("unstable")) {
			char b[120];
			snprintf(b, sizeof(b), "UNSTABLE: %.1f ns (%d) / %.1f ns (%d)", c["unstable"].at("low").get<double>(),
				 c["unstable"].at("n_low").get<int>(), c["unstable"].at("high").get<double>(),
				 c["unstable"].at("n_high").get<int>());
			per_packet = b;
		}
		snprintf(line, sizeof(line), "%-26s %-36s %-40s %-30s %s\n", c.value("name", "").c_str(),
			 figure_text(stat_from_json(c.at("mpps")), "Mpps", 2).c_str(), per_packet.c_str(),
			 c.value("sink", "").c_str(), cost.c_str());
		out << line;
	}
	std::set<int> slow;
	int rounds = 0;
	for (const auto &c : benchmarks.at("cases"))
		for (const auto &s : c.value("samples", json::array())) {
			rounds = std::max(rounds, s.value("round", -1) + 1);
			if (s.value("disturbed", false))
				slow.insert(s.value("round", -1));
		}
	// What the bands allow for beyond the rounds' own spread (with_states).
	double lowest = 1, highest = 1;
	for (const auto &st : benchmarks.value("round_states", json::array()))
		if (st.is_number()) {
			lowest = std::min(lowest, st.get<double>());
			highest = std::max(highest, st.get<double>());
		}
	snprintf(line, sizeof(line),
		 "machine state per round, all cases together: %.3f to %.3f of the run's median; each band allows for "
		 "another run in any of these states\n",
		 lowest, highest);
	out << line;
	if (!slow.empty()) {
		out << "rounds left out, the machine in its slow state (every case slower together):";
		for (int r : slow)
			out << " " << r + 1;
		out << " of " << rounds << "\n";
	}
	if (benchmarks.contains("anchor"))
		for (const auto &a : benchmarks["anchor"].value("cases", json::array())) {
			if (a.value("status", "") != "measured") {
				out << "anchor " << a.value("name", "") << ": " << a.value("status", "") << ": "
				    << a.value("reason", "") << "\n";
				continue;
			}
			json band = a.value("ratio_band", json::array({a.at("ratio"), a.at("ratio")}));
			snprintf(line, sizeof(line), "anchor %-19s xdplab %s, %s %s: ratio %.3f [%.3f, %.3f] (paired rounds)\n",
				 a.value("name", "").c_str(),
				 figure_text(stat_from_json(a.at("xdplab").at("ns_per_packet")), "ns", 1).c_str(),
				 a.value("tool", "").c_str(),
				 figure_text(stat_from_json(a.at("anchor").at("ns_per_packet")), "ns", 1).c_str(),
				 a.at("ratio").get<double>(), band.at(0).get<double>(), band.at(1).get<double>());
			out << line;
		}
}

} // namespace xdplab::cost
