#include "cost_table.h"


#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace xdplab::cost {

namespace {

bool emulated(const RunResults &r)
{
	return r.runner.is_object() && r.runner.value("accel", "") == "tcg";
}

std::string cell_text(const json &c)
{
	if (c.value("status", "") != "measured")
		return c.value("status", "?") + ": " + c.value("reason", "");
	const json &ns = c.at("ns_per_packet");
	double median = ns.at("median").get<double>();
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%.1f ns/pkt ±%.1f %% · %.2f Mpps", median,
			 ns.at("spread").get<double>() * 50, c.at("mpps").at("median").get<double>());
	if (c.contains("cost_over_base")) {
		const json &d = c["cost_over_base"];
		snprintf(buf + n, sizeof(buf) - n, " · %+.1f ns over %s [%+.1f, %+.1f]", d.at("ns").get<double>(),
			 c.value("base", "").c_str(), d.at("low").get<double>(), d.at("high").get<double>());
	}
	return buf;
}

} // namespace

CostTable cost_table(const std::vector<const RunResults *> &all)
{
	std::vector<const RunResults *> runs;
	for (const RunResults *r : all)
		if (r->benchmarks.is_object() && r->benchmarks.contains("cases"))
			runs.push_back(r);
	std::sort(runs.begin(), runs.end(), [](const RunResults *a, const RunResults *b) {
		if (emulated(*a) != emulated(*b))
			return !emulated(*a); // the real machines first, apart from the guests
		return a->kernel.version != b->kernel.version ? a->kernel.version < b->kernel.version
							      : a->kernel.release < b->kernel.release;
	});
	CostTable t;
	t.note = "CPU time per packet as the kernel accounts it (median over the repetitions, ± half "
		 "the spread), Mpps from wall time; the cost over the base case with the band it lies in "
		 "whatever repetitions are paired. Emulated (TCG) columns are not comparable with real ones.";
	std::map<std::string, std::map<size_t, std::string>> by_case;
	for (size_t col = 0; col < runs.size(); ++col) {
		t.columns.push_back(runs[col]->kernel.release + (emulated(*runs[col]) ? " (emulated)" : ""));
		for (const auto &c : runs[col]->benchmarks["cases"]) {
			std::string name = c.value("name", "");
			if (std::find(t.rows.begin(), t.rows.end(), name) == t.rows.end())
				t.rows.push_back(name);
			by_case[name][col] = cell_text(c);
		}
	}
	for (const auto &row : t.rows) {
		std::vector<std::string> cells(runs.size(), "—");
		for (const auto &[col, text] : by_case[row])
			cells[col] = text;
		t.cells.push_back(cells);
	}
	return t;
}

} // namespace xdplab::cost
