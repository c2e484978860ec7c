// The findings timeline: where each seed claim holds, kernel by kernel.
#include "harness/report/report.h"
#include "harness/case/case_experiment.h"
#include "harness/report/timeline.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

namespace {

const std::string kFixtures = XDPLAB_FIXTURES;
const std::string kExperiments = std::string(XDPLAB_SOURCE_DIR) + "/experiments";

// A run on VERSION whose subtest x/native observed meta_valid = VALID (or
// ended with VERDICT when that is not a measurement).
RunResults run_on(const std::string &version, std::optional<bool> valid, Verdict verdict = Verdict::Confirmed)
{
	RunResults r;
	r.kernel.release = version + "-test";
	r.kernel.version = *parse_kernel_version(version);
	SubtestResult e;
	e.id = "x";
	e.subtest = "native";
	e.verdict = verdict;
	e.reason = verdict == Verdict::Error ? "guest gave no results" : "";
	if (valid)
		e.observations = {{"meta_valid", *valid}, {"meta_len", *valid ? 4 : -1}};
	r.experiments.push_back(e);
	return r;
}

std::vector<ExpectationFile> claim_meta_invalid()
{
	return {parse_expectations(R"({"id": "x", "title": "t", "seed": "000.txt", "claim": "c", "subtests": {"native": {
  "seed_claim": {"text": "invalid metadata", "observed_on": "5.8.0", "observations": {"meta_valid": false}},
  "expect": [{"kernels": {}, "observations": {"meta_valid": {"$any": "x"}}, "basis": "b"}]}}})",
				   "exp/x.json")};
}

std::string summary_of(const std::vector<RunResults> &runs, const std::vector<ExpectationFile> &expectations)
{
	std::vector<const RunResults *> ptrs;
	for (const auto &r : runs)
		ptrs.push_back(&r);
	auto timeline = findings_timeline(ptrs, expectations);
	BOOST_REQUIRE_EQUAL(timeline.size(), 1u);
	return timeline_summary(timeline.front());
}

} // namespace

BOOST_AUTO_TEST_SUITE(timeline)

BOOST_AUTO_TEST_CASE(a_claim_that_stops_holding)
{
	auto s = summary_of({run_on("5.10.262", false), run_on("6.1.192", true), run_on("6.12.117", true)},
			    claim_meta_invalid());
	BOOST_TEST(s == "holds on 5.10.262; stops holding from 6.1.192 on (tested: 5.10.262, 6.1.192, 6.12.117)");
}

BOOST_AUTO_TEST_CASE(a_step_names_the_commit_it_rests_on)
{
	std::vector<ExpectationFile> pinned = {parse_expectations(R"({"id": "x", "title": "t", "seed": "000.txt", "claim": "c",
  "subtests": {"native": {
  "seed_claim": {"text": "invalid metadata", "observed_on": "5.8.0", "observations": {"meta_valid": false}},
  "expect": [{"kernels": {"until": "6.1.115", "until_commit": "ca9984c5f0ab"}, "observations": {"meta_valid": false}, "basis": "b"},
             {"kernels": {"from": "6.1.115", "until": "6.2", "from_commit": "ca9984c5f0ab"}, "observations": {"meta_valid": true}, "basis": "b"},
             {"kernels": {"from": "6.12", "from_commit": "0123456789ab"}, "observations": {"meta_valid": true}, "basis": "b"}]}}})",
								  "exp/x.json")};
	auto s = summary_of({run_on("5.10.262", false), run_on("6.1.170", true), run_on("6.12.1", true)}, pinned);
	// The edge between the last kernel without and the first with it; not the one past both.
	BOOST_TEST(s == "holds on 5.10.262; stops holding from 6.1.170 on (ca9984c5f0ab at 6.1.115) "
			"(tested: 5.10.262, 6.1.170, 6.12.1)");
}

BOOST_AUTO_TEST_CASE(a_claim_that_starts_holding_then_comes_and_goes)
{
	BOOST_TEST(summary_of({run_on("5.10.262", true), run_on("6.1.192", false)}, claim_meta_invalid()) ==
		   "does not hold on 5.10.262; starts holding from 6.1.192 on (tested: 5.10.262, 6.1.192)");
	BOOST_TEST(summary_of({run_on("5.10.1", false), run_on("5.10.2", false), run_on("6.1.1", true),
			       run_on("6.12.1", false)},
			      claim_meta_invalid()) ==
		   "holds on 5.10.1 to 5.10.2; stops holding from 6.1.1; holds again from 6.12.1 on "
		   "(tested: 5.10.1, 5.10.2, 6.1.1, 6.12.1)");
}

BOOST_AUTO_TEST_CASE(kernels_that_did_not_measure_are_named_not_counted)
{
	auto s = summary_of({run_on("5.10.262", false), run_on("6.1.192", std::nullopt, Verdict::Error),
			     run_on("6.12.117", std::nullopt, Verdict::Skipped), run_on("7.2.13", false)},
			    claim_meta_invalid());
	BOOST_TEST(s == "holds on every kernel tested (5.10.262, 7.2.13); not measured on 6.1.192 (error: guest gave "
			"no results), 6.12.117 (skipped)");
	BOOST_TEST(summary_of({run_on("6.1.192", std::nullopt, Verdict::Error)}, claim_meta_invalid()) ==
		   "not measured on any kernel: 6.1.192 (error: guest gave no results)");
}

BOOST_AUTO_TEST_CASE(without_an_expectation_file_the_recorded_verdict_on_the_claim_counts)
{
	auto a = run_on("5.10.262", false), b = run_on("6.1.192", true);
	a.experiments[0].seed_claim_holds = true;
	b.experiments[0].seed_claim_holds = false;
	BOOST_TEST(summary_of({a, b}, {}) == "holds on 5.10.262; stops holding from 6.1.192 on (tested: 5.10.262, 6.1.192)");
}

BOOST_AUTO_TEST_CASE(two_builds_of_one_version_are_told_apart_by_release)
{
	auto a = run_on("6.1.192", false), b = run_on("6.1.192", true);
	b.kernel.release = "6.1.0-56-cloud-amd64";
	BOOST_TEST(summary_of({a, b}, claim_meta_invalid()) ==
		   "holds on 6.1.192-test; stops holding from 6.1.0-56-cloud-amd64 on (tested: 6.1.192-test, "
		   "6.1.0-56-cloud-amd64)");
}

BOOST_AUTO_TEST_CASE(seed_000s_claims_across_real_kernels)
{
	auto files = load_result_files({kFixtures + "/matrix"});
	auto runs = by_kernel_version(files);
	std::vector<ExpectationFile> expectations = {load_expectation_file(kExperiments + "/metadata-across-devmap.yaml"),
						     load_expectation_file(kExperiments + "/devmap-broadcast.yaml")};
	auto timeline = findings_timeline(runs, expectations);
	const ClaimTimeline *meta = nullptr, *broadcast = nullptr;
	for (const auto &t : timeline) {
		if (t.id == "metadata-across-devmap" && t.subtest == "native")
			meta = &t;
		if (t.id == "devmap-broadcast" && t.subtest == "devmap_broadcast")
			broadcast = &t;
	}
	BOOST_REQUIRE(meta);
	BOOST_TEST(meta->claim.observed_on == "5.8.0-45-generic");
	BOOST_TEST(timeline_summary(*meta) == "holds on 5.10.262; stops holding from 6.1.192 on "
					      "(tested: 5.10.262, 6.1.192, 6.12.117, 6.18.44, 7.2.13)");
	// Broadcast came with 5.14: the claim starts holding where the matrix
	// has it; the 6.x fixtures predate the experiment and say "not run".
	BOOST_REQUIRE(broadcast);
	BOOST_TEST(timeline_summary(*broadcast) ==
		   "does not hold on 5.10.262; starts holding from 7.2.13 on (tested: 5.10.262, 7.2.13); not measured "
		   "on 6.1.192 (not run), 6.12.117 (not run), 6.18.44 (not run)");
}

BOOST_AUTO_TEST_SUITE_END()
