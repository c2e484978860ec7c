#include "harness/case/case_experiment.h"
#include "harness/expectations.h"

#include <filesystem>
#include "harness/verdict.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

namespace {
const char *kGood = R"({
  "id": "x", "title": "t", "seed": "000.txt", "claim": "c",
  "requires": [{"capability": "devmap_prog", "since": "5.8", "basis": "b"}],
  "subtests": {
    "native": {
      "seed_claim": {"text": "s", "observed_on": "5.8", "observations": {"meta_valid": false}},
      "expect": [
        {"kernels": {"from": "5.8", "until": "5.14"}, "observations": {"meta_valid": false}, "basis": "old"},
        {"kernels": {"from": "5.14"}, "observations": {"meta_valid": true, "meta_len": 4,
          "delivered": {"a": 0, "b": "$packets"}}, "basis": "new"}
      ]
    }
  }
})";

std::string error_of(const std::string &text)
{
	try {
		parse_expectations(text, "exp/x.json");
	} catch (const ExpectationError &e) {
		return e.what();
	}
	return "";
}
} // namespace

BOOST_AUTO_TEST_SUITE(expectations)

BOOST_AUTO_TEST_CASE(parses_a_well_formed_file)
{
	ExpectationFile f = parse_expectations(kGood, "exp/x.json");
	BOOST_TEST(f.id == "x");
	BOOST_TEST(f.requires_.size() == 1u);
	BOOST_TEST(f.requires_[0].since->str() == "5.8.0");
	const auto &st = f.subtests.at("native");
	BOOST_TEST(st.ranges.size() == 2u);
	BOOST_TEST(st.for_kernel({5, 10, 0})->basis == "old");
	BOOST_TEST(st.for_kernel({6, 18, 44})->basis == "new");
	BOOST_TEST(st.for_kernel({5, 4, 0}) == nullptr);
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_file_line_and_column)
{
	std::string bad = "{\n  \"id\": \"x\",\n  \"title\" \"t\"\n}";
	std::string msg = error_of(bad);
	BOOST_TEST(msg.find("exp/x.json:3:") == 0, msg);
	BOOST_TEST(msg.find("syntax error") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(structure_errors_name_the_json_pointer)
{
	std::string no_basis = kGood;
	no_basis.replace(no_basis.find("\"basis\": \"new\""), 14, "\"basis\": \"\"");
	BOOST_TEST(error_of(no_basis).find("at /subtests/native/expect/1/basis") != std::string::npos, error_of(no_basis));

	std::string bad_version = kGood;
	bad_version.replace(bad_version.find("\"until\": \"5.14\""), 15, "\"until\": \"five\"");
	BOOST_TEST(error_of(bad_version).find("/subtests/native/expect/0/kernels/until") != std::string::npos);

	std::string unknown_key = kGood;
	unknown_key.replace(unknown_key.find("\"claim\""), 7, "\"clam\"");
	BOOST_TEST(error_of(unknown_key).find("at /clam: unknown key") != std::string::npos, error_of(unknown_key));

	std::string bad_matcher = kGood;
	bad_matcher.replace(bad_matcher.find("\"$packets\""), 10, "{\"$sometimes\": 1}");
	BOOST_TEST(error_of(bad_matcher).find("unknown matcher") != std::string::npos, error_of(bad_matcher));

	BOOST_TEST(error_of("[]").find("top level must be an object") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(matching_literals_objects_and_matchers)
{
	MatchContext ctx{32};
	BOOST_TEST(matches(json(4), json(4), ctx));
	BOOST_TEST(!matches(json(4), json(0), ctx));
	BOOST_TEST(!matches(json(true), json(1), ctx));
	BOOST_TEST(matches(json("$packets"), json(32), ctx));
	BOOST_TEST(!matches(json("$packets"), json(31), ctx));
	BOOST_TEST(matches(json::parse(R"({"a": 0, "b": "$packets"})"), json::parse(R"({"a": 0, "b": 32})"), ctx));
	BOOST_TEST(!matches(json::parse(R"({"a": 0})"), json::parse(R"({"a": 0, "b": 32})"), ctx));
	BOOST_TEST(matches(json::parse(R"({"$one_of": ["x", "y"]})"), json("y"), ctx));
	BOOST_TEST(!matches(json::parse(R"({"$one_of": ["x", "y"]})"), json("z"), ctx));
	BOOST_TEST(matches(json::parse(R"({"$any": "undefined"})"), json(false), ctx));
	BOOST_TEST(!matches(json::parse(R"({"$any": "undefined"})"), json(nullptr), ctx));
	BOOST_TEST(matches(json::parse("[1,3,2]"), json::parse("[1,3,2]"), ctx));
	BOOST_TEST(!matches(json::parse("[1,3,2]"), json::parse("[1,3]"), ctx));
}

BOOST_AUTO_TEST_CASE(evaluation_confirms_deviates_and_reports_seed_claim)
{
	ExpectationFile f = parse_expectations(kGood, "exp/x.json");
	const auto &st = f.subtests.at("native");
	MatchContext ctx{32};
	json good = {{"meta_valid", true}, {"meta_len", 4}, {"delivered", {{"a", 0}, {"b", 32}}}};
	Evaluation ok = evaluate(st, {6, 18, 44}, good, ctx);
	BOOST_TEST(to_string(ok.verdict) == "confirmed");
	BOOST_TEST(ok.basis == "new");
	BOOST_TEST(ok.seed_claim_holds.value() == false);

	json bad = good;
	bad["meta_len"] = 0;
	Evaluation dev = evaluate(st, {6, 18, 44}, bad, ctx);
	BOOST_TEST(to_string(dev.verdict) == "deviates");
	BOOST_TEST(dev.reason.find("meta_len: expected 4, observed 0") != std::string::npos, dev.reason);

	json old = {{"meta_valid", false}};
	Evaluation o = evaluate(st, {5, 8, 0}, old, ctx);
	BOOST_TEST(to_string(o.verdict) == "confirmed");
	BOOST_TEST(o.seed_claim_holds.value() == true);

	Evaluation none = evaluate(st, {5, 4, 0}, old, ctx);
	BOOST_TEST(to_string(none.verdict) == "skipped");

	json missing = {{"meta_valid", true}};
	BOOST_TEST(to_string(evaluate(st, {6, 18, 0}, missing, ctx).verdict) == "deviates");
}

BOOST_AUTO_TEST_CASE(capability_gate_skips_or_deviates_by_kernel)
{
	std::vector<Requirement> reqs{{"devmap_prog", KernelVersion{5, 8, 0}, "fbee97feed9b"}, {"bpftool", std::nullopt, "tool"}};
	BOOST_TEST(!gate(reqs, {{"devmap_prog", true}, {"bpftool", true}}, {6, 1, 0}));
	auto missing_new = gate(reqs, {{"devmap_prog", false}, {"bpftool", true}}, {6, 1, 0});
	BOOST_TEST(to_string(missing_new->verdict) == "deviates");
	auto missing_old = gate(reqs, {{"devmap_prog", false}, {"bpftool", true}}, {5, 4, 0});
	BOOST_TEST(to_string(missing_old->verdict) == "skipped");
	auto no_tool = gate(reqs, {{"devmap_prog", true}, {"bpftool", false}}, {6, 1, 0});
	BOOST_TEST(to_string(no_tool->verdict) == "skipped");
	BOOST_TEST(no_tool->reason.find("bpftool") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shipped_expectation_files_parse)
{
	for (const char *id : {"egress-after-ingress", "egress-sees-packet-writes", "metadata-across-devmap",
			       "egress-ifindex", "redirect-map-last-call-wins", "redirect-map-failed-last-call",
			       "redirect-map-return-codes", "devmap-prog-generic-mode", "bpftool-devmap-prog-entry",
			       "veth-peer-needs-xdp"}) {
		std::string dir = std::string(XDPLAB_SOURCE_DIR) + "/experiments/";
		ExpectationFile f = load_expectation_file(std::filesystem::exists(dir + id + ".json") ? dir + id + ".json"
												 : dir + id + ".yaml");
		BOOST_TEST(f.id == id);
		for (const auto &[name, st] : f.subtests)
			BOOST_TEST(!st.ranges.empty(), id << "/" << name << " has no expectation");
	}
}

BOOST_AUTO_TEST_SUITE_END()
