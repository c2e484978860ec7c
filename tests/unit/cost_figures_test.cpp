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

BOOST_AUTO_TEST_CASE(feature_cost_from_paired_rounds)
{
	// The machine moved between rounds 2 and 3 (both cases up by 30 ns): the
	// medians of the cases shift, their paired differences do not.
	std::vector<double> base = {40, 41, 70, 71, 42, 72, 40};
	std::vector<double> prog = {60, 62, 91, 90, 61, 93, 60};
	PairedDifference d = paired_difference(prog, base);
	BOOST_TEST(d.n == 7);
	BOOST_TEST(d.ns == 20.0);
	BOOST_TEST(d.median_low == 19.0); // n = 7: the median's interval is [min, max] of the differences
	BOOST_TEST(d.median_high == 21.0);
	BOOST_TEST(d.low <= 19.0); // the band printed holds it
	BOOST_TEST(d.high >= 21.0);
	BOOST_TEST(d.significant());
	std::vector<double> same = {41, 40, 71, 70, 42, 72, 41};
	BOOST_TEST(!paired_difference(same, base).significant()); // the band holds 0: noise
	BOOST_CHECK_THROW(paired_difference({1, 2}, {1}), std::invalid_argument);
	PairedDifference r = paired_ratio({110, 220, 330}, {100, 200, 300});
	BOOST_TEST(r.ns == 1.1, boost::test_tools::tolerance(1e-12));
	BOOST_CHECK_THROW(paired_ratio({1}, {0}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_interval_narrows_with_more_pairs)
{
	// n = 20: the distribution-free 95 % interval of the median is [d(6), d(15)].
	std::vector<double> base(20, 0.0), feature;
	for (int i = 1; i <= 20; ++i)
		feature.push_back(i);
	PairedDifference d = paired_difference(feature, base);
	BOOST_TEST(d.median_low == 6.0);
	BOOST_TEST(d.median_high == 15.0);
	BOOST_TEST(d.ns == 10.5);
}

BOOST_AUTO_TEST_CASE(the_band_holds_where_another_run_lands)
{
	// Seven rounds, one of them far out: the median's interval is [min, max],
	// and another run's median lands within a few ranks of this one's, so
	// the band is no wider than the data allow.
	std::vector<double> base(7, 0.0), feature = {20, 21, 22, 23, 24, 25, 40};
	PairedDifference d = paired_difference(feature, base);
	BOOST_TEST(d.ns == 23.0);
	BOOST_TEST(d.low == 20.0);
	BOOST_TEST(d.high == 40.0);
	// Tightly clustered rounds with the median off-centre: the band reaches
	// past the interval on the side where the other rounds lie, by the spread
	// of a median of seven draws (exact bootstrap).
	std::vector<double> skewed = {10.0, 10.1, 10.2, 10.9, 11.0, 11.1, 11.2};
	PairedDifference s = paired_difference(skewed, base);
	BOOST_TEST(s.ns == 10.9, boost::test_tools::tolerance(1e-12));
	BOOST_TEST(s.median_low == 10.0);
	BOOST_TEST(s.median_high == 11.2);
	BOOST_TEST(s.low == 10.0); // the interval's end: the bootstrap's does not reach past it here
	BOOST_TEST(s.high > 11.2); // another run's median may lie above this run's largest round
	// Identical rounds: nothing moves, the band is the point.
	PairedDifference same = paired_difference(std::vector<double>(7, 5.0), base);
	BOOST_TEST(same.low == 5.0);
	BOOST_TEST(same.high == 5.0);
}

BOOST_AUTO_TEST_CASE(rounds_in_the_slow_state_are_found_by_all_cases_together)
{
	double x = std::nan("");
	// Rounds 2 and 4 (0-based) have every case about 1.6 times slower; case 1
	// alone is noisy in round 1, which is not a state of the machine.
	std::vector<std::vector<double>> by_case = {{18, 18, 29, 18, 28, 19}, {45, 60, 72, 44, 71, 45},
						    {43, 44, 70, 43, 69, x}};
	auto slow = disturbed_rounds(by_case);
	BOOST_TEST(slow == (std::vector<bool>{false, false, true, false, true, false}), boost::test_tools::per_element());
	BOOST_TEST(disturbed_rounds({{1, 1, 1}}) == (std::vector<bool>{false, false, false}),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_machine_state_per_round_and_the_band_it_adds)
{
	double x = std::nan("");
	// Every case 2 % above its median in round 0 and 1 % below in round 2;
	// case 2's own jump in round 1 is one case, not the machine's state.
	std::vector<std::vector<double>> by_case = {{102, 100, 99, 100, 101}, {204, 200, 198, 200, 199},
						    {51, 80, 49.5, 50, x}};
	auto states = round_states(by_case);
	BOOST_REQUIRE(states.size() == 5u);
	auto tol = boost::test_tools::tolerance(1e-9);
	BOOST_TEST(states[0] == 1.02, tol);
	BOOST_TEST(states[1] == 1.0, tol);
	BOOST_TEST(states[2] == 0.99, tol);
	BOOST_TEST(round_states({{x, x}, {x, x}})[0] != round_states({{x, x}, {x, x}})[0]); // NaN: no figure

	PairedDifference d;
	d.ns = 100;
	d.low = 95;
	d.high = 104;
	auto w = with_states(d, states);
	BOOST_TEST(w.low == 95 - 1.0, tol);  // a run in round 2's state: 1 % less cost
	BOOST_TEST(w.high == 104 + 2.0, tol); // in round 0's: 2 % more
	BOOST_TEST(w.ns == 100.0);
	// A negative cost moves the other way; states all above 1 still keep this run's own.
	d.ns = -50;
	d.low = -55;
	d.high = -45;
	auto n = with_states(d, {1.04, 1.02, std::nan("")});
	BOOST_TEST(n.low == -55 - 2.0, tol);
	BOOST_TEST(n.high == -45.0, tol);
	BOOST_TEST(n.state_low == 1.0);
	BOOST_TEST(n.state_high == 1.04, tol);
	// No states (one case, or none measured): the band of the rounds alone.
	auto same = with_states(d, {});
	BOOST_TEST(same.low == -55.0);
	BOOST_TEST(same.high == -45.0);
}

BOOST_AUTO_TEST_CASE(split_samples_are_two_levels_not_one_median)
{
	auto levels = split_levels({42, 43, 70, 41, 69, 71, 42}, 0.2 * 43);
	BOOST_REQUIRE(levels.has_value());
	BOOST_TEST(levels->low == 42.0);
	BOOST_TEST(levels->high == 70.0);
	BOOST_TEST(levels->n_low == 4);
	BOOST_TEST(levels->n_high == 3);
	// An ordinary spread is one level; one outlier is not a level.
	BOOST_TEST(!split_levels({42, 43, 44, 41, 45, 42, 43}, 0.2 * 43).has_value());
	BOOST_TEST(!split_levels({42, 43, 44, 41, 70, 42, 43}, 0.2 * 43).has_value());
	BOOST_TEST(!split_levels({42, 70, 43}, 1).has_value()); // too few to tell
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
	base.samples = {{1000, 1000, 160000, 0}, {1000, 1000, 155000, 1}, {1000, 1000, 170000, 2},
			{1000, 1000, 160000, 3}, {1000, 1000, 165000, 4}};
	base.figures = figures_of(base.samples);
	CaseOutcome prog{.c = *find_cost_case("redirect-devmap-prog"), .status = "measured"};
	// Paired by round: 30 ns more in every round, whatever the round's level.
	prog.samples = {{1000, 1000, 190000, 0}, {1000, 1000, 185000, 1}, {1000, 1000, 200000, 2},
			{1000, 1000, 190000, 3}, {1000, 1000, 196000, 4}};
	prog.figures = figures_of(prog.samples);
	CaseOutcome broken{.c = *find_cost_case("tx"), .status = "error", .reason = "the sinks counted 3 of 5 frames"};
	auto j = benchmarks_json({base, prog, broken}, "thread");
	BOOST_REQUIRE(j.at("cases").size() == 3u);
	BOOST_TEST(!j["cases"][0].contains("cost_over_base")); // its base, drop, did not run
	const auto &cost = j["cases"][1].at("cost_over_base");
	BOOST_TEST(cost.at("ns").get<double>() == 30.0);
	// The median's interval is [30, 31]; another run's median may come out a
	// round's step either side of this one's (31 in one draw of five).
	BOOST_TEST(cost.at("median_interval") == nlohmann::json::array({30.0, 31.0}));
	BOOST_TEST(cost.at("rounds_band") == nlohmann::json::array({29.0, 31.0}));
	// Round 2 has both cases 5-6 % above their medians, round 1 about 3 %
	// below: another run sitting in those states moves the 30 ns with them.
	auto tol = boost::test_tools::tolerance(1e-3);
	BOOST_TEST(cost.at("states")[0].get<double>() == (155.0 / 160 + 185.0 / 190) / 2, tol);
	BOOST_TEST(cost.at("states")[1].get<double>() == (170.0 / 160 + 200.0 / 190) / 2, tol);
	BOOST_TEST(cost.at("low").get<double>() == 29.0 + 30 * ((155.0 / 160 + 185.0 / 190) / 2 - 1), tol);
	BOOST_TEST(cost.at("high").get<double>() == 31.0 + 30 * ((170.0 / 160 + 200.0 / 190) / 2 - 1), tol);
	BOOST_TEST(j.at("round_states").size() == 5u);
	BOOST_TEST(cost.at("pairs").get<int>() == 5);
	BOOST_TEST(j["cases"][2].at("status") == "error");
	BOOST_TEST(!j["cases"][2].contains("ns_per_packet")); // an error has no figure

	std::ostringstream table;
	print_bench_table(table, j);
	BOOST_TEST(table.str().find("redirect-devmap-prog") != std::string::npos);
	BOOST_TEST(table.str().find("+30.0 ns over redirect-devmap [+28.1, +32.7], 5 pairs") != std::string::npos,
		   table.str());

	// Samples in two levels: reported as both, not as one median.
	CaseOutcome jumpy{.c = *find_cost_case("tx"), .status = "measured"};
	jumpy.samples = {{1000, 1000, 42000, 0}, {1000, 1000, 70000, 1}, {1000, 1000, 43000, 2},
			 {1000, 1000, 69000, 3}, {1000, 1000, 71000, 4}};
	jumpy.figures = figures_of(jumpy.samples);
	auto u = benchmarks_json({jumpy}, "thread");
	BOOST_TEST(u["cases"][0].contains("unstable"));
	std::ostringstream t2;
	print_bench_table(t2, u);
	BOOST_TEST(t2.str().find("UNSTABLE: 42.5 ns (2) / 70.0 ns (3)") != std::string::npos, t2.str());
	BOOST_TEST(table.str().find("tx: error: the sinks counted 3 of 5 frames") != std::string::npos);

	// A case in error fails the run (and the matrix) like an experiment's error.
	xdplab::RunResults r;
	r.benchmarks = j;
	BOOST_TEST(r.exit_code() == 2);
	r.benchmarks = benchmarks_json({base, prog}, "thread");
	BOOST_TEST(r.exit_code() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
