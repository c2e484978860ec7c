#include "harness/lint.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

namespace {

using Measured = std::map<std::string, std::set<std::string>>;

const Measured kMeasured = {{"native", {"rx", "tx"}}};

// One subtest "native" whose ranges are `expect` (a JSON array).
ExpectationFile file_with(const std::string &expect, const std::string &seed_claim = "")
{
	return parse_expectations(R"({"id": "x", "title": "t", "seed": "000.txt", "claim": "c",
  "subtests": {"native": {)" + seed_claim + R"("expect": )" + expect + "}}}",
				  "exp/x.json");
}

std::string all(const std::vector<std::string> &problems)
{
	std::string out;
	for (const auto &p : problems)
		out += p + "\n";
	return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(lint)

BOOST_AUTO_TEST_CASE(a_clean_file_has_no_problems)
{
	auto f = file_with(R"([
  {"kernels": {"until": "5.14"}, "observations": {"rx": true, "tx": true}, "basis": "b"},
  {"kernels": {"from": "5.14", "until": "6.12"}, "observations": {"rx": {"$any": "why"}}, "basis": "b"},
  {"kernels": {"from": "6.12"}, "observations": {"rx": true, "tx": true}, "basis": "b"}])",
			   R"("seed_claim": {"text": "s", "observed_on": "5.8", "observations": {"rx": true}}, )");
	BOOST_TEST(all(lint_expectations(f, kMeasured)) == "");
}

BOOST_AUTO_TEST_CASE(overlapping_ranges_name_both_positions_and_the_overlap)
{
	auto f = file_with(R"([
  {"kernels": {"from": "5.8", "until": "5.14"}, "observations": {"rx": true, "tx": true}, "basis": "b"},
  {"kernels": {"from": "5.15.170", "until": "5.16"}, "observations": {"rx": true}, "basis": "b"},
  {"kernels": {"from": "5.14", "until": "6.12"}, "observations": {"rx": false}, "basis": "b"},
  {"kernels": {"from": "6.11"}, "observations": {"rx": true}, "basis": "b"}])");
	auto problems = lint_expectations(f, kMeasured);
	BOOST_TEST(problems.size() == 2u, all(problems));
	BOOST_TEST(problems.at(0) == "exp/x.json: at /subtests/native/expect/1: kernels >=5.15.170 <5.16 overlap "
				     "/subtests/native/expect/2 (kernels >=5.14 <6.12) on >=5.15.170 <5.16; there the "
				     "first listed wins");
	BOOST_TEST(problems.at(1) == "exp/x.json: at /subtests/native/expect/2: kernels >=5.14 <6.12 overlap "
				     "/subtests/native/expect/3 (kernels >=6.11) on >=6.11 <6.12; there the first "
				     "listed wins");
}

BOOST_AUTO_TEST_CASE(adjacent_and_open_ranges)
{
	// [a, b) and [b, c) touch but do not overlap; two open-ended ranges do.
	auto touching = file_with(R"([
  {"kernels": {"until": "5.14"}, "observations": {"rx": true, "tx": true}, "basis": "b"},
  {"kernels": {"from": "5.14"}, "observations": {"rx": true}, "basis": "b"}])");
	BOOST_TEST(all(lint_expectations(touching, kMeasured)) == "");
	auto open = file_with(R"([
  {"kernels": {}, "observations": {"rx": true, "tx": true}, "basis": "b"},
  {"kernels": {"from": "6.1"}, "observations": {"rx": true}, "basis": "b"}])");
	auto problems = lint_expectations(open, kMeasured);
	BOOST_TEST(problems.size() == 1u, all(problems));
	BOOST_TEST(all(problems).find("kernels any overlap /subtests/native/expect/1 (kernels >=6.1) on >=6.1;") !=
		   std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_expected_observation_that_is_not_measured)
{
	auto f = file_with(R"([
  {"kernels": {"from": "5.8"}, "observations": {"rx": true, "tx": true, "rx_queue": 0}, "basis": "b"}])",
			   R"("seed_claim": {"text": "s", "observed_on": "5.8", "observations": {"ingress": 2}}, )");
	auto problems = lint_expectations(f, kMeasured);
	BOOST_TEST(problems.size() == 2u, all(problems));
	BOOST_TEST(problems.at(0) == "exp/x.json: at /subtests/native/seed_claim/observations/ingress: \"ingress\" is "
				     "not measured for native (measured: rx, tx)");
	BOOST_TEST(problems.at(1) == "exp/x.json: at /subtests/native/expect/0/observations/rx_queue: \"rx_queue\" is "
				     "not measured for native (measured: rx, tx)");
}

BOOST_AUTO_TEST_CASE(a_measured_observation_that_is_never_expected)
{
	// The seed claim does not count: it is not an expectation.
	auto f = file_with(R"([
  {"kernels": {"until": "6.1"}, "observations": {"rx": true}, "basis": "b"},
  {"kernels": {"from": "6.1"}, "observations": {"rx": false}, "basis": "b"}])",
			   R"("seed_claim": {"text": "s", "observed_on": "5.8", "observations": {"tx": true}}, )");
	auto problems = lint_expectations(f, kMeasured);
	BOOST_TEST(problems.size() == 1u, all(problems));
	BOOST_TEST(problems.at(0) == "exp/x.json: at /subtests/native/expect: \"tx\" is measured but never expected");
}

BOOST_AUTO_TEST_CASE(subtests_on_one_side_only)
{
	auto f = file_with(R"([{"kernels": {}, "observations": {"rx": true, "tx": true}, "basis": "b"}])");
	auto problems = lint_expectations(f, {{"generic", {"rx", "tx"}}});
	BOOST_TEST(problems.size() == 2u, all(problems));
	BOOST_TEST(problems.at(0) ==
		   "exp/x.json: at /subtests: no expectations for subtest \"generic\", which the experiment measures");
	BOOST_TEST(problems.at(1) == "exp/x.json: at /subtests/native: the experiment has no subtest \"native\" (it "
				     "has: generic)");
}

BOOST_AUTO_TEST_CASE(pointer_tokens_are_escaped)
{
	auto f = file_with(R"([{"kernels": {}, "observations": {"rx": true, "tx": true, "a/b~c": 1}, "basis": "b"}])");
	auto problems = lint_expectations(f, kMeasured);
	BOOST_TEST(problems.size() == 1u, all(problems));
	BOOST_TEST(all(problems).find("at /subtests/native/expect/0/observations/a~1b~0c: ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
