// The "benchmarks" section of an xdplab-results/1 document, and the table
// printed after a bench. Pure: outcomes in, JSON and text out.
#pragma once
#include "figures.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab::cost {

struct CaseOutcome;

// Per case (in the outcomes' order) and per round, the case's ns/packet:
// NaN where the case was not measured, has no sample of that round, or the
// round was disturbed and `undisturbed_only` asks to leave those out. What
// disturbed_rounds and round_states read.
std::vector<std::vector<double>> rounds_by_case(const std::vector<CaseOutcome> &outcomes, bool undisturbed_only);

// Every case with its figures, samples and sink; for a case whose base case
// was measured too, "cost_over_base": the feature's ns/packet and noise band.
nlohmann::json benchmarks_json(const std::vector<CaseOutcome> &outcomes, const std::string &cpu_accounting);

Stat stat_from_json(const nlohmann::json &j);
nlohmann::json to_json(const Stat &s);

// "  412.3 ns/pkt (395.0-430.1, spread 8.5 %)"
std::string figure_text(const Stat &s, const char *unit, int precision);

// One line per case: Mpps, ns/packet, the sink, the cost over its base case.
void print_bench_table(std::ostream &out, const nlohmann::json &benchmarks);

} // namespace xdplab::cost
