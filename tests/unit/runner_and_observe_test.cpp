#include "harness/observe.h"
#include "harness/runner.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace xdplab;

namespace {
class FakeExperiment : public Experiment {
public:
	std::string id() const override { return "fake-experiment"; }
	std::vector<std::string> subtests() const override { return {"native", "generic"}; }
	Measurement run(const std::string &, Lab &) override { return {}; }
};
XDPLAB_EXPERIMENT(FakeExperiment);

const std::string kExpectations = std::string(XDPLAB_FIXTURES) + "/expectations";

xdplab_event event(uint32_t stage, uint32_t seq, uint32_t egress_ifindex = 0)
{
	xdplab_event e{};
	e.stage = stage;
	e.seq = seq;
	e.egress_ifindex = egress_ifindex;
	return e;
}

TraceRecord tracepoint(const std::string &event, const std::string &body)
{
	TraceRecord t;
	t.event = event;
	t.body = body;
	return t;
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

BOOST_AUTO_TEST_CASE(roles_deliveries_and_devmap_programs)
{
	StagedRun run;
	run.ifindex = {{"in", 2}, {"o0", 3}, {"o1", 4}, {"r0", 2}, {"snd", 2}};
	run.events = {event(1, 0), event(3, 0), event(2, 0, 4), event(1, 1), event(3, 1), event(2, 1, 4)};
	run.received["o0"] = {};
	run.received["o1"] = {{0, 57, {}}, {1, 57, {}}};
	const std::map<std::string, std::string> roles{{"o0", "first_target"}, {"o1", "second_target"}};
	BOOST_TEST(delivered_as(run, roles) == json::parse(R"({"first_target": 0, "second_target": 2})"));
	BOOST_TEST(devmap_progs_ran(run, roles) == json::parse(R"(["second_target"])"));
	// A receiver namespace's link with the same ifindex is not a dut link.
	BOOST_TEST(run.role_of_ifindex(2) == "in");
	BOOST_TEST(run.stage(2).size() == 2u);
}

BOOST_AUTO_TEST_CASE(drop_tracepoint_is_the_first_failure)
{
	StagedRun run;
	BOOST_TEST(drop_tracepoint(run).is_null());
	run.tracepoints = {tracepoint("xdp_redirect", "prog_id=1 err=0"),
			   tracepoint("xdp_devmap_xmit", "ndo_xdp_xmit from_ifindex=2 to_ifindex=3 sent=0 drops=1 err=-6"),
			   tracepoint("xdp_redirect_err", "prog_id=1 err=-95")};
	BOOST_TEST(drop_tracepoint(run) == json::parse(R"({"event": "xdp_devmap_xmit", "err": -6})"));
	run.tracepoints = {tracepoint("xdp_exception", "prog_id=1 action=ABORTED ifindex=2")};
	BOOST_TEST(drop_tracepoint(run) == json::parse(R"({"event": "xdp_exception", "err": 0})"));
}

BOOST_AUTO_TEST_SUITE_END()
