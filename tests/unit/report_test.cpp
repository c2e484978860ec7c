// The report and its diffs, on result files the harness itself produced
// (tests/fixtures): a real 6.1 / 6.12 / 6.18 matrix, a baseline run of 6.18
// with fewer frames and without bpftool, and a 6.1 guest that died.
#include "harness/report.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace xdplab;

namespace {
const std::string kFixtures = XDPLAB_FIXTURES;

const Change *find(const std::vector<Change> &cs, const std::string &id, const std::string &sub, const std::string &what)
{
	for (const auto &c : cs)
		if (c.id == id && c.subtest == sub && c.what == what)
			return &c;
	return nullptr;
}
} // namespace

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(loads_every_results_file_of_a_directory)
{
	auto files = load_result_files({kFixtures + "/matrix"});
	BOOST_TEST(files.size() == 3u);
	std::vector<std::string> releases;
	for (const auto &f : files)
		releases.push_back(f.results.kernel.release);
	BOOST_TEST((std::find(releases.begin(), releases.end(), "6.1.0-56-amd64") != releases.end()));
	BOOST_CHECK_THROW(load_result_files({kFixtures + "/nonexistent"}), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(changed_between_kernels_lists_the_veth_drop_tracepoint)
{
	auto files = load_result_files({kFixtures + "/matrix"});
	auto changes = changes_between_kernels(files);
	const Change *c = find(changes, "veth-peer-needs-xdp", "none", "drop_tracepoint");
	BOOST_REQUIRE(c);
	BOOST_TEST(c->values.size() == 3u);
	// Ordered by kernel version: 6.1 first.
	BOOST_TEST(c->values.front().first == "6.1.0-56-amd64");
	BOOST_TEST(c->values.front().second["err"] == -6);
	BOOST_TEST(c->values.back().second["err"] == -95);
	// Things equal on every kernel are not "changed".
	BOOST_TEST(!find(changes, "metadata-across-devmap", "native", "meta_len"));
}

BOOST_AUTO_TEST_CASE(baseline_diff_shows_changed_observations_and_skips)
{
	auto now = load_result_files({kFixtures + "/matrix"});
	auto base = load_result_files({kFixtures + "/baseline"});
	auto changes = changes_from_baseline(base, now);
	// The baseline sent 8 frames per subtest, now 32: a changed observation.
	const Change *d = find(changes, "redirect-map-last-call-wins", "devmap", "delivered");
	BOOST_REQUIRE(d);
	BOOST_TEST(d->values[0].first == "baseline 6.18.44-fc-v657");
	BOOST_TEST(d->values[0].second["second_target"] == 8);
	BOOST_TEST(d->values[1].second["second_target"] == 32);
	// bpftool was missing in the baseline: skipped then, confirmed now.
	const Change *v = find(changes, "bpftool-devmap-prog-entry", "update_with_prog", "verdict");
	BOOST_REQUIRE(v);
	BOOST_TEST(v->values[0].second == "skipped");
	BOOST_TEST(v->values[1].second == "confirmed");
	// Only kernels present on both sides are compared.
	for (const auto &c : changes)
		BOOST_TEST(c.values[0].first.find("6.18") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_dead_vm_is_an_error_column_not_a_green_one)
{
	auto files = load_result_files({kFixtures + "/dead", kFixtures + "/matrix/6.18.44-fc-v657.json"});
	BOOST_TEST(files.size() == 2u);
	Report r = make_report(files, std::nullopt);
	BOOST_TEST(r.markdown.find("| 6.1.0-56-amd64 |") != std::string::npos);
	BOOST_TEST(r.markdown.find("egress-ifindex/native error") != std::string::npos, r.markdown);
	BOOST_TEST(r.markdown.find("gave no results") != std::string::npos);
	for (const auto &f : files)
		if (f.results.kernel.release == "6.1.0-56-amd64")
			BOOST_TEST(f.results.exit_code() == 2);
}

BOOST_AUTO_TEST_CASE(report_renders_matrix_seed_marks_and_self_contained_html)
{
	auto files = load_result_files({kFixtures + "/matrix"});
	Report r = make_report(files, load_result_files({kFixtures + "/baseline"}));
	BOOST_TEST(r.markdown.find("| metadata-across-devmap/native | confirmed · seed ✗ |") != std::string::npos);
	BOOST_TEST(r.markdown.find("## Changed between kernels") != std::string::npos);
	BOOST_TEST(r.markdown.find("## Changed since the baseline") != std::string::npos);
	BOOST_TEST(r.html.rfind("<!DOCTYPE html>", 0) == 0);
	BOOST_TEST(r.html.find("<details>") != std::string::npos);
	BOOST_TEST(r.html.find("basis: ") != std::string::npos);
	// Self-contained: no external scripts, styles or images.
	BOOST_TEST(r.html.find("http://") == std::string::npos);
	BOOST_TEST(r.html.find("https://") == std::string::npos);
	BOOST_TEST(r.html.find("<script") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
