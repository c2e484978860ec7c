// Headlines: a report cell's few words, from an expectation file's template
// or from the observations the expectation names.
#include "harness/case/case_experiment.h"
#include "harness/headline.h"
#include "harness/lint.h"
#include "harness/report/report.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

namespace {

const std::string kFixtures = XDPLAB_FIXTURES;
const std::string kExperiments = std::string(XDPLAB_SOURCE_DIR) + "/experiments";

SubtestResult measured(json observations, json expected = json::object(), Verdict v = Verdict::Confirmed)
{
	SubtestResult r;
	r.id = "x";
	r.subtest = "native";
	r.verdict = v;
	r.observations = std::move(observations);
	r.expected = std::move(expected);
	return r;
}

// An expectation file whose subtest "native" measures rx and tx, with HEADLINE.
ExpectationFile file_with_headline(const std::string &headline)
{
	return parse_expectations(R"({"id": "x", "title": "t", "seed": "s", "claim": "c", "headline": )" + headline +
					  R"(, "subtests": {"native": {"expect": [{"kernels": {}, "observations": {"rx": true, "tx": 1}, "basis": "b"}]}}})",
				  "exp/x.json");
}

const SubtestResult &result_in(const std::vector<ResultFile> &files, const std::string &release, const std::string &id,
			       const std::string &subtest)
{
	for (const auto &f : files)
		if (f.results.kernel.release == release)
			for (const auto &e : f.results.experiments)
				if (e.id == id && e.subtest == subtest)
					return e;
	throw std::runtime_error("no " + id + "/" + subtest + " on " + release + " in the fixtures");
}

} // namespace

BOOST_AUTO_TEST_SUITE(headline)

BOOST_AUTO_TEST_CASE(placeholders_are_read_in_order_and_malformed_ones_refused)
{
	auto names = headline_placeholders("meta {meta_len} B, {delivered.target} {{literal}}");
	BOOST_TEST(names.size() == 2u);
	BOOST_TEST(names.at(0) == "meta_len");
	BOOST_TEST(names.at(1) == "delivered.target");
	BOOST_TEST(placeholder_observation("delivered.target") == "delivered");
	BOOST_CHECK_THROW(headline_placeholders("meta {meta_len"), std::invalid_argument);
	BOOST_CHECK_THROW(headline_placeholders("meta }"), std::invalid_argument);
	BOOST_CHECK_THROW(headline_placeholders("meta {}"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(values_render_compactly)
{
	BOOST_TEST(compact_value(json()) == "none");
	BOOST_TEST(compact_value(true) == "true");
	BOOST_TEST(compact_value(-95) == "-95");
	BOOST_TEST(compact_value("xdp_redirect_err") == "xdp_redirect_err");
	BOOST_TEST(compact_value(json::array({1, 3, 2})) == "[1,3,2]");
	BOOST_TEST(compact_value(json::array({"a_b", "a_c"})) == "[a_b,a_c]");
	// Receivers that got nothing are left out: what arrived where is the news.
	BOOST_TEST(compact_value(json{{"first_target", 0}, {"second_target", 32}, {"sender", 0}}) == "{second_target=32}");
	BOOST_TEST(compact_value(json{{"target", 0}, {"sender", 0}}) == "0");
	BOOST_TEST(compact_value(json{{"err", -6}, {"event", "xdp_devmap_xmit"}}) == "{err=-6 event=xdp_devmap_xmit}");
}

BOOST_AUTO_TEST_CASE(the_first_rule_that_fits_wins)
{
	Headline h = {{json{{"meta_valid", false}}, "meta invalid"},
		      {json::object(), "meta {meta_len} B, {delivered}"}};
	BOOST_TEST(headline_of(measured({{"meta_valid", false}, {"meta_len", -1}}), h) == "meta invalid");
	// An object read into a sentence loses its braces.
	BOOST_TEST(headline_of(measured({{"meta_valid", true}, {"meta_len", 4}, {"delivered", {{"target", 32}}}}), h) ==
		   "meta 4 B, target=32");
	// A placeholder that reads into an object.
	Headline drop = {{json{{"drop_tracepoint", nullptr}}, "delivered"},
			 {json::object(), "dropped: {drop_tracepoint.event} {drop_tracepoint.err}"}};
	BOOST_TEST(headline_of(measured({{"drop_tracepoint", {{"event", "xdp_redirect_err"}, {"err", -95}}}}), drop) ==
		   "dropped: xdp_redirect_err -95");
	BOOST_TEST(headline_of(measured({{"drop_tracepoint", nullptr}}), drop) == "delivered");
}

BOOST_AUTO_TEST_CASE(when_matches_like_an_expectation_with_packets)
{
	Headline h = {{json{{"delivered", "$packets"}}, "all {delivered} delivered"}, {json::object(), "lost some"}};
	SubtestResult r = measured({{"delivered", 32}});
	r.evidence["packets_sent"] = 32;
	BOOST_TEST(headline_of(r, h) == "all 32 delivered");
	r.evidence["packets_sent"] = 64;
	BOOST_TEST(headline_of(r, h) == "lost some");
}

BOOST_AUTO_TEST_CASE(without_a_fitting_rule_the_expected_observations_speak_those_that_vary_first)
{
	SubtestResult r = measured({{"a_first", 1}, {"b_second", true}, {"c_third", json{{"target", 32}}}, {"unexpected", 7}},
				   {{"a_first", 1}, {"b_second", true}, {"c_third", {{"$any", "x"}}}});
	// A rule whose placeholder was not observed does not fit.
	Headline missing = {{json::object(), "value {not_measured}"}};
	BOOST_TEST(headline_of(r, missing) == "a_first=1, b_second=true");
	BOOST_TEST(headline_of(r, {}, {"c_third"}) == "c_third={target=32}, a_first=1");
	// Only what the expectation names, even if more was measured.
	BOOST_TEST(headline_of(r, {}, {"unexpected"}) == "a_first=1, b_second=true");
	BOOST_TEST(headline_of(measured(json::object()), {}) == "nothing observed");
}

BOOST_AUTO_TEST_CASE(skipped_and_error_cells_say_why_briefly)
{
	SubtestResult e = measured(json::object(), json::object(), Verdict::Error);
	e.reason = "VM for kernel 6.1 gave no results: the guest sent no results block (console log: /tmp/x.log)\nmore";
	std::string h = headline_of(e, {{json::object(), "never used"}});
	BOOST_TEST(h.rfind("VM for kernel 6.1 gave no results", 0) == 0u, h);
	BOOST_TEST(h.size() < e.reason.size());
	BOOST_TEST(h.find('\n') == std::string::npos);
	BOOST_TEST(h.substr(h.size() - 3) == "…");
}

BOOST_AUTO_TEST_CASE(catalog_headlines_on_real_results)
{
	auto files = load_result_files({kFixtures + "/matrix"});
	auto meta = load_expectation_file(kExperiments + "/metadata-across-devmap.yaml");
	auto veth = load_expectation_file(kExperiments + "/veth-peer-needs-xdp.yaml");
	auto cell = [&](const ExpectationFile &f, const std::string &release, const std::string &subtest) {
		return headline_of(result_in(files, release, f.id, subtest), f.headline_of(subtest));
	};
	BOOST_TEST(cell(meta, "5.10.0-46-amd64", "native") == "meta invalid (len -1)");
	BOOST_TEST(cell(meta, "6.1.0-56-amd64", "native") == "meta 4 B kept");
	BOOST_TEST(cell(meta, "7.2.13+deb14-amd64", "native") == "meta 4 B kept");
	BOOST_TEST(cell(meta, "6.1.0-56-amd64", "generic") == "no meta (0 B)");
	BOOST_TEST(cell(veth, "6.1.0-56-amd64", "none") == "dropped: xdp_devmap_xmit -6");
	BOOST_TEST(cell(veth, "6.18.44-fc-v657", "none") == "dropped: xdp_redirect_err -95");
	BOOST_TEST(cell(veth, "7.2.13+deb14-amd64", "xdp") == "delivered target=32");
}

BOOST_AUTO_TEST_CASE(a_headline_is_parsed_with_positions_and_linted_against_the_measurements)
{
	BOOST_CHECK_NO_THROW(file_with_headline(R"("rx {rx}")"));
	try {
		file_with_headline(R"([{"when": {"rx": true}, "text": "rx {rx"}])");
		BOOST_FAIL("an unclosed placeholder was accepted");
	} catch (const ExpectationError &e) {
		BOOST_TEST(std::string(e.what()).find("exp/x.json: at /headline/0/text: unclosed") == 0u, e.what());
	}
	BOOST_CHECK_THROW(file_with_headline("42"), ExpectationError);
	BOOST_CHECK_THROW(file_with_headline("[]"), ExpectationError);
	BOOST_CHECK_THROW(file_with_headline(R"([{"text": "t", "if": {}}])"), ExpectationError);

	const std::map<std::string, std::set<std::string>> measured_names = {{"native", {"rx", "tx"}}};
	BOOST_TEST(lint_expectations(file_with_headline(R"([{"when": {"rx": true}, "text": "rx {tx}"}])"), measured_names)
			   .empty());
	auto problems = lint_expectations(
		file_with_headline(R"([{"when": {"rq": true}, "text": "rx {tx.a}"}, {"text": "{delivered.target}"}])"),
		measured_names);
	BOOST_TEST(problems.size() == 2u);
	BOOST_TEST(problems.at(0).find("exp/x.json: at /headline/0/when/rq: \"rq\" is not measured for native") == 0u,
		   problems.at(0));
	BOOST_TEST(problems.at(1).find("exp/x.json: at /headline/1/text: {delivered.target} reads \"delivered\"") == 0u,
		   problems.at(1));
}

BOOST_AUTO_TEST_CASE(a_subtest_headline_overrides_the_files)
{
	auto f = parse_expectations(R"({"id": "x", "title": "t", "seed": "s", "claim": "c", "headline": "file {rx}",
  "subtests": {"native": {"headline": "own {tx}", "expect": []}, "generic": {"expect": []}}})",
				    "exp/x.json");
	BOOST_TEST(f.headline_of("native").at(0).text == "own {tx}");
	BOOST_TEST(f.headline_of("generic").at(0).text == "file {rx}");
}

BOOST_AUTO_TEST_SUITE_END()
