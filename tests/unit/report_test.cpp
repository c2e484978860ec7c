// The report and its diffs, on result files the harness itself produced
// (tests/fixtures): a real 5.10 / 6.1 / 6.12 / 6.18 / 7.2 matrix (5.10 and
// 7.2 with the whole catalog, the others with catalog A), a baseline run of
// 6.18 with fewer frames and without bpftool, and a 6.1 guest that died.
#include "harness/case/case_experiment.h"
#include "harness/report/report.h"
#include "harness/kernel_log.h"
#include "harness/engine/runner.h"
#include "harness/splat_summary.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace xdplab;

namespace {
const std::string kFixtures = XDPLAB_FIXTURES;
const std::string kExperiments = std::string(XDPLAB_SOURCE_DIR) + "/experiments";

ResultFile run_named(const std::string &release, const std::string &version)
{
	ResultFile f;
	f.path = release + ".json";
	f.results.kernel = {release, *parse_kernel_version(version)};
	SubtestResult e;
	e.id = "x";
	e.subtest = "native";
	e.verdict = Verdict::Confirmed;
	e.observations = {{"meta_len", 4}};
	f.results.experiments.push_back(e);
	return f;
}

size_t count(const std::string &text, const std::string &what)
{
	size_t n = 0;
	for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
		++n;
	return n;
}

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
	BOOST_TEST(files.size() == 5u);
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
	BOOST_TEST(c->values.size() == 5u);
	// Ordered by kernel version: 5.10 first.
	BOOST_TEST(c->values.front().first == "5.10.0-46-amd64");
	BOOST_TEST(c->values.at(1).first == "6.1.0-56-amd64");
	BOOST_TEST(c->values.at(1).second["err"] == -6);
	BOOST_TEST(c->values.back().second["err"] == -95);
	// Things equal on every kernel are not "changed".
	BOOST_TEST(!find(changes, "egress-sees-packet-writes", "native", "wire_byte"));
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
	// Without expectation files: "name=value" of what the expectation named.
	BOOST_TEST(r.markdown.find("| metadata-across-devmap/native | ✓ meta_len=-1, meta_valid=false | ✓ meta_len=4, "
				   "meta_valid=true |") != std::string::npos,
		   r.markdown.substr(0, 3000));
	BOOST_TEST(r.markdown.find("## Changed between kernels") != std::string::npos);
	BOOST_TEST(r.markdown.find("## Changed since the baseline") != std::string::npos);
	BOOST_TEST(r.html.rfind("<!DOCTYPE html>", 0) == 0);
	BOOST_TEST(r.html.find("<details><summary>") != std::string::npos);
	BOOST_TEST(r.html.find("basis: ") != std::string::npos);
	// Self-contained: no external scripts, styles or images.
	BOOST_TEST(r.html.find("http://") == std::string::npos);
	BOOST_TEST(r.html.find("https://") == std::string::npos);
	BOOST_TEST(r.html.find("<script") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(kernels_are_ordered_by_version_not_by_name)
{
	// By name, 6.10 would come before 6.9 and the host's release after 7.x.
	std::vector<ResultFile> files = {run_named("6.10.0-1-amd64", "6.10.11"), run_named("aaa-host", "7.2.1"),
					 run_named("6.9.0-3-amd64", "6.9.7"), run_named("5.10.0-46-amd64", "5.10.262")};
	std::vector<std::string> order;
	for (const auto *r : by_kernel_version(files))
		order.push_back(r->kernel.release);
	BOOST_TEST((order == std::vector<std::string>{"5.10.0-46-amd64", "6.9.0-3-amd64", "6.10.0-1-amd64", "aaa-host"}));
	Report r = make_report(files, std::nullopt);
	BOOST_TEST(r.markdown.find("| experiment/subtest | 5.10.0-46-amd64 | 6.9.0-3-amd64 | 6.10.0-1-amd64 | aaa-host |") !=
		   std::string::npos);
	size_t a = r.html.find("data-kernel=\"6.9.0-3-amd64\" data-subtest"), b = r.html.find("data-kernel=\"6.10.0-1-amd64\" data-subtest");
	BOOST_TEST((a != std::string::npos && b != std::string::npos && a < b));
}

BOOST_AUTO_TEST_CASE(cells_show_headlines_with_machine_readable_attributes)
{
	auto files = load_result_files({kFixtures + "/matrix"});
	Report r = make_report(files, std::nullopt, load_expectation_files(kExperiments));
	BOOST_TEST(r.markdown.find("| metadata-across-devmap/native | ✓ meta invalid (len -1) | ✓ meta 4 B kept |") !=
		   std::string::npos);
	BOOST_TEST(r.markdown.find("| veth-peer-needs-xdp/none | ✓ dropped: xdp_devmap_xmit -6 | ✓ dropped: "
				   "xdp_devmap_xmit -6 | ✓ dropped: xdp_redirect_err -95 |") != std::string::npos);
	BOOST_TEST(r.html.find("<td class=\"cell confirmed\" data-kernel=\"5.10.0-46-amd64\" "
			       "data-subtest=\"metadata-across-devmap/native\" data-verdict=\"confirmed\" "
			       "data-seed=\"holds\"") != std::string::npos);
	BOOST_TEST(r.html.find("<span class=\"headline\">meta invalid (len -1)</span>") != std::string::npos);
	// 5.10 skips the generic subtests: said so, never green.
	BOOST_TEST(r.html.find("<td class=\"cell skipped\" data-kernel=\"5.10.0-46-amd64\" "
			       "data-subtest=\"metadata-across-devmap/generic\" data-verdict=\"skipped\"") !=
		   std::string::npos);
	// Catalog B ran only on 5.10 and 7.2 here: the other kernels' cells are missing, not green.
	BOOST_TEST(r.html.find("<td class=\"cell missing\" data-kernel=\"6.1.0-56-amd64\" "
			       "data-subtest=\"devmap-delete/devmap\" data-verdict=\"none\">") != std::string::npos);
	BOOST_TEST(r.html.find("<section id=\"timeline\">") != std::string::npos);
	BOOST_TEST(r.markdown.find("- **native**: \"stage=2: invalid metadata") != std::string::npos);
	BOOST_TEST(r.markdown.find("holds on 5.10.262; stops holding from 6.1.192 on") != std::string::npos);
	BOOST_TEST(r.page_height > 2000);
}

BOOST_AUTO_TEST_CASE(splats_are_counted_per_kernel_with_the_subtest_that_ran)
{
	ResultFile quiet = run_named("6.1.0-56-amd64", "6.1.192"), loud = run_named("6.12.117+deb13-amd64", "6.12.117");
	// As the runner reports them: one from a console (the last progress line
	// before it), one from a kernel log watched while two subtests ran.
	auto splats_seen = find_splats("[1/2] x/native ...\n"
				       "WARNING: CPU: 0 PID: 7 at net/core/filter.c:4321 xdp_do_redirect+0x1/0x2\n"
				       "---[ end trace 0000000000000000 ]---\n"
				       "BUG: kernel NULL pointer dereference, address: 0000000000000000\n");
	BOOST_REQUIRE_EQUAL(splats_seen.size(), 2u);
	splats_seen[1].after.clear();
	splats_seen[1].running = {"x/generic", "y/native"};
	for (auto &r : splat_results(splats_seen, {}))
		loud.results.experiments.push_back(r);
	auto splats = splats_of(loud.results);
	BOOST_REQUIRE_EQUAL(splats.size(), 2u);
	BOOST_TEST(splats[0].first_line == "WARNING: CPU: 0 PID: 7 at net/core/filter.c:4321 xdp_do_redirect+0x1/0x2");
	BOOST_TEST(splats[0].during == "x/native");
	BOOST_TEST(splats[1].during == "x/generic, y/native");
	BOOST_TEST(splats_of(quiet.results).empty());
	BOOST_TEST(subtest_of_progress("   [6.1] [12/24] egress-ifindex/native ... confirmed (3 ms)") ==
		   "egress-ifindex/native");

	Report r = make_report({quiet, loud}, std::nullopt);
	BOOST_TEST(r.markdown.find("| 6.1.0-56-amd64 | 6.1.192 |  |") != std::string::npos);
	BOOST_TEST(r.markdown.find(" | none |\n| 6.12.117+deb13-amd64") != std::string::npos, r.markdown);
	BOOST_TEST(r.markdown.find("| 2: WARNING: CPU: 0 PID: 7 at net/core/filter.c:432… (during x/native) |") !=
		   std::string::npos, r.markdown);
	BOOST_TEST(r.html.find("<td class=\"splats has-splats\" data-kernel=\"6.12.117+deb13-amd64\" data-splats=\"2\">") !=
		   std::string::npos);
	BOOST_TEST(r.html.find("<td class=\"splats\" data-kernel=\"6.1.0-56-amd64\" data-splats=\"0\">none</td>") !=
		   std::string::npos);
	// The splat is not a row of the matrix, and is an error of that kernel.
	BOOST_TEST(r.markdown.find("| kernel/splat |") == std::string::npos);
	BOOST_TEST(count(r.markdown, "- 6.12.117+deb13-amd64: kernel/splat error") == 2u);
}

BOOST_AUTO_TEST_CASE(a_dead_guests_console_splat_is_shown)
{
	auto files = load_result_files({kFixtures + "/dead"});
	auto splats = splats_of(files.at(0).results);
	BOOST_REQUIRE_EQUAL(splats.size(), 1u);
	BOOST_TEST(splats[0].first_line.find("Kernel panic - not syncing: Attempted to kill init!") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
