#include "harness/engine/runner.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace xdplab;

namespace {
struct FakeParams {
	int n;
};
class FakeExperiment : public DeclaredExperiment<FakeParams> {
public:
	FakeExperiment() : DeclaredExperiment("fake-experiment", {{"native", {1}}, {"generic", {2}}}, {"x"}) {}
	Plan plan(const FakeParams &) const override { return ProcedurePlan{}; }
};
XDPLAB_EXPERIMENT(FakeExperiment);

const std::string kExpectations = std::string(XDPLAB_FIXTURES) + "/expectations";
} // namespace

BOOST_AUTO_TEST_SUITE(runner_selection)

BOOST_AUTO_TEST_CASE(selects_by_id_glob_and_subtest)
{
	auto catalog = load_catalog(kExpectations);
	BOOST_REQUIRE(catalog.size() == 1u);
	BOOST_TEST(select(catalog, {}).front().subtests.size() == 2u);
	BOOST_TEST(select(catalog, {"fake-*"}).front().subtests.size() == 2u);
	auto one = select(catalog, {"fake-experiment/generic"});
	BOOST_TEST(one.front().subtests == std::vector<std::string>{"generic"});
	// Selecting twice does not run twice.
	BOOST_TEST(select(catalog, {"fake-experiment", "fake-experiment/native"}).front().subtests.size() == 2u);
	BOOST_CHECK_THROW(select(catalog, {"no-such"}), ConfigError);
	BOOST_CHECK_THROW(select(catalog, {"fake-experiment/sideways"}), ConfigError);
	std::ostringstream list;
	print_list(list, catalog);
	BOOST_TEST(list.str().find("subtests: native generic") != std::string::npos, list.str());
}

BOOST_AUTO_TEST_CASE(catalog_and_expectations_must_agree_on_subtests)
{
	namespace fs = std::filesystem;
	fs::path dir = fs::temp_directory_path() / ("xdplab-unit-cat-" + std::to_string(getpid()));
	fs::create_directories(dir);
	std::ifstream in(kExpectations + "/fake-experiment.json");
	std::stringstream ss;
	ss << in.rdbuf();
	std::string text = ss.str();
	text.replace(text.find("\"generic\""), 9, "\"sideways\"");
	std::ofstream(dir / "fake-experiment.json") << text;
	try {
		load_catalog(dir.string());
		BOOST_FAIL("a subtest without expectations was accepted");
	} catch (const ConfigError &e) {
		BOOST_TEST(std::string(e.what()).find("no expectations for subtest \"generic\"") != std::string::npos, e.what());
	}
	fs::remove(dir / "fake-experiment.json");
	BOOST_CHECK_THROW(load_catalog(dir.string()), ConfigError); // no file at all
	fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(declared_experiments)

BOOST_AUTO_TEST_CASE(declared_once)
{
	auto catalog = load_catalog(kExpectations);
	const Experiment &e = *catalog.front().experiment;
	BOOST_TEST(e.subtests() == (std::vector<std::string>{"native", "generic"}));
	BOOST_TEST(e.observation_names("native") == (std::set<std::string>{"x"}));
	BOOST_CHECK_THROW(e.plan("sideways"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
