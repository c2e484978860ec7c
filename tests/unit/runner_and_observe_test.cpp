#include "harness/observe.h"
#include "harness/runner.h"
#include "builders.h"

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
	Plan plan(const FakeParams &p) const override
	{
		if (p.n == 1)
			return BenchPlan{};
		return ProcedurePlan{};
	}
};
XDPLAB_EXPERIMENT(FakeExperiment);

const std::string kExpectations = std::string(XDPLAB_FIXTURES) + "/expectations";

using test::tracepoint;
xdplab_event event(uint32_t stage, uint32_t seq, uint32_t egress_ifindex = 0)
{
	return test::event(stage, seq, XDPLAB_NO_ACTION, egress_ifindex);
}
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

BOOST_AUTO_TEST_SUITE(observe)

BOOST_AUTO_TEST_CASE(uniform_reports_one_value_or_the_spread)
{
	BOOST_TEST(uniform({}).is_null());
	BOOST_TEST(uniform({json(4), json(4)}) == json(4));
	BOOST_TEST(uniform({json(4), json(0), json(4)}) == json::parse(R"({"varies": [4, 0]})"));
}

BOOST_AUTO_TEST_CASE(declared_once_observations_per_plan_kind)
{
	auto catalog = load_catalog(kExpectations);
	const Experiment &e = *catalog.front().experiment;
	BOOST_TEST(e.subtests() == (std::vector<std::string>{"native", "generic"}));
	// A bench subtest also reports the engine's delivered/frames; a procedure only its own.
	BOOST_TEST(e.observation_names("native") == (std::set<std::string>{"delivered", "frames", "x"}));
	BOOST_TEST(e.observation_names("generic") == (std::set<std::string>{"x"}));
	BOOST_CHECK_THROW(e.plan("sideways"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(outputs_deliveries_and_devmap_programs)
{
	BenchRun run;
	run.plan.outputs = {{"first_target"}, {"second_target"}};
	run.plan.calls = {{Devmap::Array, 1}, {Devmap::Array, 2}};
	run.plan.entries = {{Devmap::Array, 1, "o0", true}};
	run.ifindex = {{"in", 100}, {"o0", 102}, {"o1", 104}, {"r0", 103}, {"snd", 101}};
	run.receiver_link = {{"first_target", "r0"}, {"second_target", "r1"}, {"ingress_stack", "in"}, {"sender", "snd"}};
	run.events = {event(1, 0), event(3, 0), event(4, 0), event(2, 0, 104),
		      event(1, 1), event(3, 1), event(4, 1), event(2, 1, 104)};
	run.received["second_target"] = {{0, 57, {}}, {1, 57, {}}};
	BOOST_TEST(devmap_progs_ran(run) == json::parse(R"(["second_target"])"));
	BOOST_TEST(run.name_of_ifindex(100) == "ingress");
	BOOST_TEST(run.name_of_ifindex(103) == ""); // a receiver's link is not where redirects resolve
	BOOST_TEST(run.stage(2).size() == 2u);
	json obs = bench_observations(run);
	BOOST_TEST(obs["delivered"] ==
		   json::parse(R"({"first_target": 0, "second_target": 2, "ingress_stack": 0, "sender": 0})"));
	BOOST_TEST(obs["frames"] ==
		   json::parse(R"({"ingress": 2, "after_call1": 2, "after_call2": 2, "entry_prog": 2})"));
}

BOOST_AUTO_TEST_CASE(drop_tracepoint_is_the_first_failure)
{
	BenchRun run;
	BOOST_TEST(drop_tracepoint(run).is_null());
	run.tracepoints = {tracepoint("xdp_redirect", "prog_id=1 err=0"),
			   tracepoint("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=2 to_ifindex=3 sent=0 drops=1 err=-6"),
			   tracepoint("xdp_redirect_err", "prog_id=1 err=-95")};
	BOOST_TEST(drop_tracepoint(run) == json::parse(R"({"event": "xdp_devmap_xmit", "err": -6})"));
	run.tracepoints = {tracepoint("xdp_exception", "prog_id=1 action=ABORTED ifindex=2")};
	BOOST_TEST(drop_tracepoint(run) == json::parse(R"({"event": "xdp_exception", "err": 0})"));
}

BOOST_AUTO_TEST_SUITE_END()
