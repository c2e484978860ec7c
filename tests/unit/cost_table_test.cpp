// The cost bench in the matrix report, through the report's model: a row per case, a column per kernel,
// TCG guests marked emulated and kept apart, and a bench-only results file
// adding its figures to the same kernel's experiment results.
#include "harness/cost/cost_table.h"
#include "harness/report/report.h"
#include "harness/report/report_model.h"
#include "harness/results.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace xdplab;
namespace fs = std::filesystem;

namespace {

json measured_case(const std::string &name, double ns, const std::string &base = "")
{
	json stat = {{"median", ns}, {"min", ns - 1}, {"max", ns + 1}, {"spread", 2 / ns}, {"n", 5}};
	json c = {{"name", name}, {"status", "measured"}, {"base", base}, {"ns_per_packet", stat},
		  {"mpps", {{"median", 2.0}, {"min", 1.9}, {"max", 2.1}, {"spread", 0.1}, {"n", 5}}}};
	if (!base.empty())
		c["cost_over_base"] = {{"ns", 25.0}, {"low", 23.0}, {"high", 27.0}, {"significant", true}};
	return c;
}

ResultFile bench_file(const std::string &release, KernelVersion v, const json &runner, json cases)
{
	ResultFile f;
	f.path = release + "-bench.json";
	f.results.kernel = {release, v};
	f.results.started = "2026-11-23T22:00:00Z";
	f.results.runner = runner;
	f.results.benchmarks = {{"cases", std::move(cases)}};
	return f;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cost_table)

BOOST_AUTO_TEST_CASE(rows_per_case_columns_per_kernel)
{
	auto guest = bench_file("6.1.0-56-amd64", {6, 1, 192}, {{"kind", "vm"}, {"accel", "tcg"}},
				{measured_case("redirect-devmap", 2900.0)});
	auto host = bench_file("6.18.44-fc-v657", {6, 18, 44}, {{"kind", "host"}},
			       {measured_case("redirect-devmap", 167.1),
				measured_case("redirect-devmap-prog", 192.3, "redirect-devmap")});
	auto t = cost::cost_table({&guest.results, &host.results});
	BOOST_REQUIRE(t.columns.size() == 2u);
	BOOST_TEST(t.columns[0] == "6.18.44-fc-v657"); // real machines first
	BOOST_TEST(t.columns[1] == "6.1.0-56-amd64 (emulated)");
	BOOST_REQUIRE(t.rows.size() == 2u);
	BOOST_TEST(t.cells[0][0].find("167.1 ns/pkt") == 0u);
	BOOST_TEST(t.cells[0][1].find("2900.0 ns/pkt") == 0u);
	BOOST_TEST(t.cells[1][1] == "—"); // not measured in the guest
	BOOST_TEST(t.cells[1][0].find("+25.0 ns over redirect-devmap [+23.0, +27.0]") != std::string::npos);

	// The report draws it: in the markdown, and in the page before the changes.
	Report r = make_report({guest, host}, std::nullopt);
	BOOST_TEST(r.markdown.find("| redirect-devmap-prog |") != std::string::npos);
	BOOST_TEST(r.html.find("<h2>What each feature costs</h2>") < r.html.find("<section id=\"changes\">"));
	// The screenshot grows by the section.
	ReportModel m = model_of({guest, host}, std::nullopt, {});
	int with_costs = html_page_height(m);
	m.costs = {};
	BOOST_TEST(with_costs > html_page_height(m));

	ResultFile plain;
	plain.results.kernel = {"6.18.44-fc-v657", {6, 18, 44}};
	Report none = make_report({plain}, std::nullopt);
	BOOST_TEST(none.markdown.find("What each feature costs") == std::string::npos);
	BOOST_TEST(none.html.find("What each feature costs") == std::string::npos);
	BOOST_TEST(cost::cost_table({&plain.results}).columns.empty());
}

BOOST_AUTO_TEST_CASE(bench_file_joins_its_kernels_results)
{
	fs::path dir = fs::temp_directory_path() / ("xdplab-cost-report-" + std::to_string(getpid()));
	fs::create_directories(dir);
	RunResults experiments;
	experiments.kernel = {"6.18.44-fc-v657", {6, 18, 44}};
	experiments.started = "2026-11-23T21:00:00Z";
	experiments.experiments.push_back({.id = "egress-ifindex", .subtest = "native", .verdict = Verdict::Confirmed});
	auto bench = bench_file("6.18.44-fc-v657", {6, 18, 44}, json(), {measured_case("drop", 63.1)});
	std::ofstream(dir / "6.18.44-fc-v657.json") << to_json(experiments).dump();
	std::ofstream(dir / "6.18.44-fc-v657-bench.json") << to_json(bench.results).dump();
	auto files = load_result_files({dir.string()});
	fs::remove_all(dir);
	BOOST_REQUIRE(files.size() == 1u);
	BOOST_TEST(files[0].results.experiments.size() == 1u); // the newer bench file did not replace them
	BOOST_TEST(files[0].results.benchmarks.at("cases").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
