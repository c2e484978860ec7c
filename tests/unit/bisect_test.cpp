#include "harness/matrix/bisect.h"
#include "harness/matrix/bisect_run.h"
#include "harness/vm/changelog.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace xdplab;
namespace fs = std::filesystem;

namespace {

DebianKernel build(const std::string &abi, const std::string &version, bool is_signed = true)
{
	DebianKernel k;
	k.package = "linux-image-" + abi + "-amd64" + (is_signed ? "" : "-unsigned");
	k.version = version;
	k.upstream = upstream_version(version);
	k.is_signed = is_signed;
	return k;
}

// Builds 5.10.1-1 ... 5.10.<n>-1, oldest first.
std::vector<DebianKernel> builds(size_t n)
{
	std::vector<DebianKernel> out;
	for (size_t i = 1; i <= n; ++i)
		out.push_back(build("5.10.0-" + std::to_string(i), "5.10." + std::to_string(i) + "-1"));
	return out;
}

// A runner that answers from a table (index of the build -> outcome) and
// records what it was asked, batch by batch.
struct FakeRunner {
	std::vector<DebianKernel> candidates;
	std::function<BuildOutcome(size_t)> behaviour;
	std::vector<std::vector<size_t>> calls;

	BuildRunner runner()
	{
		return [this](const std::vector<DebianKernel> &batch) {
			std::vector<BuildOutcome> out;
			calls.push_back({});
			for (const auto &k : batch) {
				size_t i = 0;
				while (candidates[i].version != k.version)
					++i;
				calls.back().push_back(i);
				out.push_back(behaviour(i));
			}
			return out;
		};
	}
	size_t boots() const
	{
		size_t n = 0;
		for (const auto &c : calls)
			n += c.size();
		return n;
	}
};

BuildOutcome observed(const json &obs)
{
	return {"confirmed", obs, "", 1000};
}

BuildOutcome meta_kept(bool kept)
{
	return observed({{"meta_valid", kept}, {"meta_len", kept ? 4 : -1}, {"frames", {{"ingress", 32}}}});
}

// Builds before `first_changed` behave like good, the others like bad.
std::function<BuildOutcome(size_t)> change_at(size_t first_changed)
{
	return [=](size_t i) { return meta_kept(i >= first_changed); };
}

using Strings = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(bisect)

BOOST_AUTO_TEST_CASE(change_in_the_middle_is_found_in_log2_boots)
{
	FakeRunner f{builds(17), change_at(11), {}};
	BisectOutcome o = bisect_builds(f.candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.last_good == 10u);
	BOOST_TEST(o.first_bad == 11u);
	// Good and bad first, together; then one build at a time.
	BOOST_TEST((f.calls.front() == std::vector<size_t>{0, 16}));
	BOOST_TEST(f.calls.size() >= 2u);
	for (size_t c = 1; c < f.calls.size(); ++c)
		BOOST_TEST(f.calls[c].size() == 1u);
	BOOST_TEST(f.boots() <= 2u + 4u); // 15 builds between: at most 4 halvings
	BOOST_TEST(o.trials.size() == f.boots());
	BOOST_TEST(o.trials[0].judged == "good");
	BOOST_TEST(o.trials[1].judged == "bad");
}

BOOST_AUTO_TEST_CASE(change_at_either_edge)
{
	FakeRunner first{builds(9), change_at(1), {}};
	BisectOutcome o = bisect_builds(first.candidates, first.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.last_good == 0u);
	BOOST_TEST(o.first_bad == 1u);

	FakeRunner last{builds(9), change_at(8), {}};
	o = bisect_builds(last.candidates, last.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.last_good == 7u);
	BOOST_TEST(o.first_bad == 8u);

	// Nothing between good and bad: they are the pair, after two boots.
	FakeRunner two{builds(2), change_at(1), {}};
	o = bisect_builds(two.candidates, two.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.first_bad == 1u);
	BOOST_TEST(two.boots() == 2u);
}

BOOST_AUTO_TEST_CASE(a_build_that_errs_is_skipped_for_a_neighbour)
{
	// The middle of 0..8 is 4: it errs, 5 is tried instead.
	auto behaviour = [](size_t i) {
		if (i == 4)
			return BuildOutcome{"error", json::object(), "guest panicked", 5000};
		return meta_kept(i >= 6);
	};
	FakeRunner f{builds(9), behaviour, {}};
	BisectOutcome o = bisect_builds(f.candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.last_good == 5u);
	BOOST_TEST(o.first_bad == 6u);
	BOOST_TEST(f.calls[1] == std::vector<size_t>{4});
	BOOST_TEST(f.calls[2] == std::vector<size_t>{5});
	BOOST_TEST(o.trials[2].judged == "skip");
	BOOST_TEST(o.trials[2].outcome.reason == "guest panicked");
}

BOOST_AUTO_TEST_CASE(only_skipped_builds_left_between_is_said_not_guessed)
{
	// The change is at 3, but 2 is skipped (no expectation) and 4 errs: the
	// search ends with 1 good, 3 bad and nothing usable between.
	auto behaviour = [](size_t i) {
		if (i == 2)
			return BuildOutcome{"skipped", json::object(), "no expectation", 900};
		if (i == 4)
			return BuildOutcome{"error", json::object(), "guest hung", 5000};
		return meta_kept(i >= 3);
	};
	FakeRunner f{builds(9), behaviour, {}};
	BisectOutcome o = bisect_builds(f.candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "only_skipped_left");
	BOOST_TEST(o.last_good == 1u);
	BOOST_TEST(o.first_bad == 3u);
	// Every build was tried at most once.
	std::map<std::string, int> tries;
	for (const auto &t : o.trials)
		BOOST_TEST(++tries[t.build.version] == 1);
}

BOOST_AUTO_TEST_CASE(good_equal_to_bad_stops_after_two_boots)
{
	FakeRunner f{builds(9), [](size_t) { return meta_kept(true); }, {}};
	BisectOutcome o = bisect_builds(f.candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "nothing_to_bisect");
	BOOST_TEST(f.boots() == 2u);
	BOOST_TEST(o.trials[1].judged == "good");
}

BOOST_AUTO_TEST_CASE(an_endpoint_without_a_usable_result_stops)
{
	FakeRunner f{builds(9), [](size_t i) {
			     return i == 0 ? BuildOutcome{"error", json::object(), "no results", 1} : meta_kept(true);
		     }, {}};
	BisectOutcome o = bisect_builds(f.candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "endpoint_unusable");
	BOOST_TEST(f.boots() == 2u);
	BOOST_TEST(o.trials[0].judged == "skip");
}

BOOST_AUTO_TEST_CASE(only_observations_count_not_the_verdict)
{
	// Same observations, one confirmed and one deviates: nothing changed.
	FakeRunner f{builds(5), [](size_t i) {
			     BuildOutcome o = meta_kept(true);
			     o.verdict = i == 4 ? "deviates" : "confirmed";
			     return o;
		     }, {}};
	BOOST_TEST(to_string(bisect_builds(f.candidates, f.runner()).status) == "nothing_to_bisect");
}

BOOST_AUTO_TEST_CASE(non_monotonic_input_still_gives_an_adjacent_change_from_good)
{
	// A A A B B A A B B: changes away from A at 3 and at 7, back to A at 5.
	auto pattern = [](size_t i) { return (i >= 3 && i <= 4) || i >= 7; };
	FakeRunner f{builds(9), [&](size_t i) { return meta_kept(pattern(i)); }, {}};
	BisectOutcome o = bisect_builds(f.candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.first_bad == o.last_good + 1);
	BOOST_TEST(!pattern(o.last_good));
	BOOST_TEST(pattern(o.first_bad));
	BOOST_TEST((o.first_bad == 3u || o.first_bad == 7u));
}

BOOST_AUTO_TEST_CASE(a_third_behaviour_is_a_change_from_good_and_the_record_says_so)
{
	// good: invalid meta; 3..5 a third behaviour; 6..: bad's.
	auto behaviour = [](size_t i) {
		if (i < 3)
			return meta_kept(false);
		if (i < 6)
			return observed({{"meta_valid", true}, {"meta_len", 0}, {"frames", {{"ingress", 32}}}});
		return meta_kept(true);
	};
	auto candidates = builds(9);
	FakeRunner f{candidates, behaviour, {}};
	BisectOutcome o = bisect_builds(candidates, f.runner());
	BOOST_TEST(to_string(o.status) == "found");
	BOOST_TEST(o.last_good == 2u);
	BOOST_TEST(o.first_bad == 3u);

	BisectRequest r;
	r.selector = "metadata-across-devmap/native";
	r.good = "5.10.1";
	r.bad = "5.10.9";
	json rec = bisect_record(r, candidates, o, {"5.10.3"}, {"5.10.3-1"}, "/x/changelog.gz", 1234);
	BOOST_TEST(rec["schema"] == "xdplab-bisect/1");
	BOOST_TEST(rec["subtest"] == "metadata-across-devmap/native");
	BOOST_TEST(rec["requested"]["good"] == "5.10.1");
	BOOST_TEST(rec["status"] == "found");
	BOOST_TEST(rec["result"]["last_good"]["version"] == "5.10.3-1");
	BOOST_TEST(rec["result"]["first_bad"]["version"] == "5.10.4-1");
	BOOST_TEST(rec["result"]["adjacent"] == true);
	BOOST_TEST(rec["result"]["first_bad_observes_as_bad"] == false);
	BOOST_TEST(rec["tried"].size() == o.trials.size());
	BOOST_TEST(rec["tried"][0]["observations"]["meta_valid"] == false);
	BOOST_TEST(rec["tried"][0]["wall_ms"] == 1000);
	BOOST_TEST(rec["candidates"].size() == 9u);
	BOOST_TEST(rec["wall_ms"] == 1234);
	BOOST_TEST(rec["upstream_releases_between"] == json({"5.10.3"}));
	json expected_diff = json::array({{{"name", "meta_len"}, {"good", -1}, {"bad", 0}},
					  {{"name", "meta_valid"}, {"good", false}, {"bad", true}}});
	BOOST_TEST(rec["diff"] == expected_diff);
}

BOOST_AUTO_TEST_CASE(observation_diff_names_what_differs_and_what_is_absent)
{
	json good = {{"a", 1}, {"same", {{"x", 1}}}, {"nested", {{"x", 1}, {"y", 2}}}, {"gone", "here"}};
	json bad = {{"a", 2}, {"same", {{"x", 1}}}, {"nested", {{"x", 1}, {"y", 3}}}, {"new", true}};
	auto d = observation_diff(good, bad);
	BOOST_REQUIRE(d.size() == 4u);
	BOOST_TEST(d[0].name == "a");
	BOOST_TEST(d[1].name == "gone");
	BOOST_TEST(d[1].bad.is_null());
	BOOST_TEST(d[2].name == "nested");
	BOOST_TEST(d[2].bad == json({{"x", 1}, {"y", 3}}));
	BOOST_TEST(d[3].name == "new");
	BOOST_TEST(d[3].good.is_null());
	BOOST_TEST(observation_diff(good, good).empty());
}

BOOST_AUTO_TEST_CASE(candidates_are_complete_builds_between_good_and_bad_in_version_order)
{
	std::vector<DebianKernel> archive = {
		build("6.1.0-56", "6.1.192-2"),
		build("6.1.0-56", "6.1.192-2", false), // the same kernel unsigned
		build("6.1.0-47", "6.1.170-3"),
		build("6.1.0-0.deb11.48", "6.1.172-1~deb11u1"),
		build("6.1.0-48", "6.1.172-1"),
		build("6.1.0-99", "6.1.173-1", false), // only unsigned: kept
		build("5.10.0-46", "5.10.262-1"),
		build("5.10.0-32", "5.10.223-1"),
		build("6.12.43+deb12", "6.12.43-1~bpo12+1"),
	};
	DebianKernel incomplete = build("6.1.0-50", "6.1.176-1");
	incomplete.missing = {"linux-modules-6.1.0-50-amd64"};
	archive.push_back(incomplete);

	auto versions = [](const std::vector<DebianKernel> &ks) {
		Strings v;
		for (const auto &k : ks)
			v.push_back(k.version);
		return v;
	};
	BOOST_TEST(versions(bisect_candidates(archive, "5.10", "6.1")) ==
		   (Strings{"5.10.262-1", "6.1.170-3", "6.1.172-1~deb11u1", "6.1.172-1", "6.1.173-1", "6.1.192-2"}),
		   boost::test_tools::per_element());
	BOOST_TEST(versions(bisect_candidates(archive, "5.10.223", "6.1.170")) ==
		   (Strings{"5.10.223-1", "5.10.262-1", "6.1.170-3"}), boost::test_tools::per_element());
	// Good newer than bad (when did it get fixed?): from good towards bad.
	BOOST_TEST(versions(bisect_candidates(archive, "6.1.172", "6.1.170")) ==
		   (Strings{"6.1.172-1", "6.1.172-1~deb11u1", "6.1.170-3"}), boost::test_tools::per_element());
	BOOST_CHECK_THROW(bisect_candidates(archive, "6.1", "6.1.192"), std::invalid_argument);
	BOOST_CHECK_THROW(bisect_candidates(archive, "4.19", "6.1"), std::invalid_argument);
	BOOST_CHECK_THROW(bisect_candidates(archive, "5.10", "6.1.176"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
