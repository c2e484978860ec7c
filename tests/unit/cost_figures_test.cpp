// The cost bench's arithmetic: figures per repetition, their median, min,
// max and spread, a feature's cost with its noise band, and the table rows.
#include "harness/cost/benchmarks.h"
#include "harness/cost/cases.h"
#include "harness/cost/figures.h"
#include "harness/cost/runner.h"
#include "harness/results.h"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <stdexcept>

using namespace xdplab::cost;

BOOST_AUTO_TEST_SUITE(cost_figures)

BOOST_AUTO_TEST_CASE(per_repetition_rate_and_cost)
{
	Sample s{.packets = 1000000, .wall_ns = 250000000, .cpu_ns = 200000000};
	BOOST_TEST(mpps(s) == 4.0, boost::test_tools::tolerance(1e-12));
	BOOST_TEST(ns_per_packet(s) == 200.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(median_min_max_spread)
{
	Stat odd = stat_of({5, 1, 4, 2, 3});
	BOOST_TEST(odd.median == 3.0);
	BOOST_TEST(odd.min == 1.0);
	BOOST_TEST(odd.max == 5.0);
	BOOST_TEST(odd.spread == 4.0 / 3.0, boost::test_tools::tolerance(1e-12));
	BOOST_TEST(odd.n == 5);
	Stat even = stat_of({10, 40, 20, 30});
	BOOST_TEST(even.median == 25.0);
	BOOST_TEST(even.spread == 30.0 / 25.0, boost::test_tools::tolerance(1e-12));
	BOOST_CHECK_THROW(stat_of({}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(figures_over_repetitions)
{
	std::vector<Sample> samples = {
		{1000, 1000, 100000}, {1000, 2000, 110000}, {1000, 500, 90000}, {1000, 1000, 120000}, {1000, 1000, 100000}};
	Figures f = figures_of(samples);
	BOOST_TEST(f.ns_per_packet.median == 100.0);
	BOOST_TEST(f.ns_per_packet.min == 90.0);
	BOOST_TEST(f.ns_per_packet.max == 120.0);
	BOOST_TEST(f.mpps.median == 1000.0);
	BOOST_TEST(f.mpps.max == 2000.0);
	samples.push_back({0, 1, 1});
	BOOST_CHECK_THROW(figures_of(samples), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(feature_cost_and_noise_band)
{
	Stat base{.median = 160, .min = 155, .max = 170, .spread = 0, .n = 5};
	Stat prog{.median = 190, .min = 185, .max = 200, .spread = 0, .n = 5};
	Difference d = difference(prog, base);
	BOOST_TEST(d.ns == 30.0);
	BOOST_TEST(d.low == 15.0);
	BOOST_TEST(d.high == 45.0);
	BOOST_TEST(d.significant());
	Stat close{.median = 162, .min = 150, .max = 171, .spread = 0, .n = 5};
	Difference n = difference(close, base);
	BOOST_TEST(n.ns == 2.0);
	BOOST_TEST(!n.significant()); // the band holds 0: noise
	BOOST_TEST(ratio(prog, base) == 190.0 / 160.0, boost::test_tools::tolerance(1e-12));
	BOOST_CHECK_THROW(ratio(prog, Stat{}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(case_selection)
{
	BOOST_TEST(select_cost_cases({}).size() == cost_cases().size());
	auto b = select_cost_cases({"broadcast-*"});
	BOOST_TEST(b.size() == 3u);
	BOOST_TEST(select_cost_cases({"redirect-devmap-prog"}).at(0).entry_prog);
	BOOST_CHECK_THROW(select_cost_cases({"nosuch"}), std::invalid_argument);
	// Every base names a case, and every case names its sink.
	for (const auto &c : cost_cases()) {
		BOOST_TEST(!c.sink.empty());
		BOOST_TEST((c.base.empty() || find_cost_case(c.base).has_value()), c.name << " base " << c.base);
	}
}

BOOST_AUTO_TEST_CASE(benchmarks_section_and_table_rows)
{
	CaseOutcome base{.c = *find_cost_case("redirect-devmap"), .status = "measured"};
	base.samples = {{1000, 1000, 160000}, {1000, 1000, 155000}, {1000, 1000, 170000}, {1000, 1000, 160000},
			{1000, 1000, 165000}};
	base.figures = figures_of(base.samples);
	CaseOutcome prog{.c = *find_cost_case("redirect-devmap-prog"), .status = "measured"};
	prog.samples = {{1000, 1000, 190000}, {1000, 1000, 185000}, {1000, 1000, 200000}, {1000, 1000, 190000},
			{1000, 1000, 195000}};
	prog.figures = figures_of(prog.samples);
	CaseOutcome broken{.c = *find_cost_case("tx"), .status = "error", .reason = "the sinks counted 3 of 5 frames"};
	auto j = benchmarks_json({base, prog, broken}, "thread");
	BOOST_REQUIRE(j.at("cases").size() == 3u);
	BOOST_TEST(!j["cases"][0].contains("cost_over_base")); // its base, drop, did not run
	const auto &cost = j["cases"][1].at("cost_over_base");
	BOOST_TEST(cost.at("ns").get<double>() == 30.0);
	BOOST_TEST(cost.at("low").get<double>() == 15.0);
	BOOST_TEST(cost.at("high").get<double>() == 45.0);
	BOOST_TEST(j["cases"][2].at("status") == "error");
	BOOST_TEST(!j["cases"][2].contains("ns_per_packet")); // an error has no figure

	std::ostringstream table;
	print_bench_table(table, j);
	BOOST_TEST(table.str().find("redirect-devmap-prog") != std::string::npos);
	BOOST_TEST(table.str().find("+30.0 ns over redirect-devmap [+15.0, +45.0]") != std::string::npos);
	BOOST_TEST(table.str().find("tx: error: the sinks counted 3 of 5 frames") != std::string::npos);

	// A case in error fails the run (and the matrix) like an experiment's error.
	xdplab::RunResults r;
	r.benchmarks = j;
	BOOST_TEST(r.exit_code() == 2);
	r.benchmarks = benchmarks_json({base, prog}, "thread");
	BOOST_TEST(r.exit_code() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
