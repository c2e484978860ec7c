#include "harness/results.h"
#include "harness/formats/table.h"
#include "harness/formats/junit.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace xdplab;

namespace {
RunResults sample()
{
	RunResults r;
	r.kernel = {"6.18.44-fc", {6, 18, 44}};
	r.started = "2026-11-23T10:00:00Z";
	r.duration_ms = 1234;
	SubtestResult a;
	a.id = "metadata-across-devmap";
	a.subtest = "native";
	a.verdict = Verdict::Confirmed;
	a.observations = {{"meta_valid", true}};
	a.expected = {{"meta_valid", true}};
	a.basis = "cb261b594b41";
	a.seed_claim_holds = false;
	SubtestResult b = a;
	b.subtest = "generic";
	b.verdict = Verdict::Deviates;
	b.reason = "meta_len: expected 0, observed 4 <&>";
	b.seed_claim_holds.reset();
	SubtestResult c = a;
	c.id = "bpftool-devmap-prog-entry";
	c.verdict = Verdict::Skipped;
	c.reason = "bpftool is not installed";
	SubtestResult d = a;
	d.id = "egress-ifindex";
	d.verdict = Verdict::Error;
	d.reason = "cannot attach";
	r.experiments = {a, b, c, d};
	return r;
}
} // namespace

BOOST_AUTO_TEST_SUITE(results)

BOOST_AUTO_TEST_CASE(json_has_the_documented_schema_and_round_trips)
{
	RunResults r = sample();
	json doc = to_json(r);
	BOOST_TEST(doc["schema"] == "xdplab-results/1");
	BOOST_TEST(doc["kernel"]["version"] == json::parse("[6,18,44]"));
	BOOST_TEST(doc["summary"]["confirmed"] == 1);
	BOOST_TEST(doc["summary"]["deviates"] == 1);
	BOOST_TEST(doc["summary"]["skipped"] == 1);
	BOOST_TEST(doc["summary"]["error"] == 1);
	BOOST_TEST(doc["experiments"][0]["seed_claim_holds"] == false);
	BOOST_TEST(doc["experiments"][1]["seed_claim_holds"].is_null());
	for (const char *k : {"id", "subtest", "verdict", "reason", "observations", "expected", "basis",
			      "seed_claim_holds", "evidence", "duration_ms"})
		BOOST_TEST(doc["experiments"][0].contains(k), k);

	RunResults back = results_from_json(doc);
	BOOST_TEST(to_json(back) == doc);
	BOOST_CHECK_THROW(results_from_json(json::parse(R"({"schema": "other/1"})")), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(exit_code_follows_the_worst_verdict)
{
	RunResults r = sample();
	BOOST_TEST(r.exit_code() == 2);
	r.experiments.pop_back();
	BOOST_TEST(r.exit_code() == 1);
	r.experiments.erase(r.experiments.begin() + 1);
	BOOST_TEST(r.exit_code() == 0);
}

BOOST_AUTO_TEST_CASE(junit_marks_failures_errors_and_skips_and_escapes)
{
	std::string x = to_junit(sample());
	BOOST_TEST(x.find("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\"") != std::string::npos, x);
	BOOST_TEST(x.find("<failure message=\"meta_len: expected 0, observed 4 &lt;&amp;&gt;\"") != std::string::npos, x);
	BOOST_TEST(x.find("<error message=\"cannot attach\"") != std::string::npos);
	BOOST_TEST(x.find("<skipped message=\"bpftool is not installed\"/>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(table_lists_every_subtest)
{
	std::ostringstream out;
	print_table(out, sample());
	BOOST_TEST(out.str().find("metadata-across-devmap/generic") != std::string::npos);
	BOOST_TEST(out.str().find("1 confirmed, 1 deviates, 1 skipped, 1 error") != std::string::npos, out.str());
}

BOOST_AUTO_TEST_CASE(atomic_write_replaces_the_whole_file)
{
	char tmpl[] = "/tmp/xdplab-unit-XXXXXX";
	BOOST_REQUIRE(mkdtemp(tmpl));
	std::string path = std::string(tmpl) + "/r.json";
	write_file_atomic(path, "first");
	write_file_atomic(path, "second");
	std::ifstream in(path);
	std::string s;
	in >> s;
	BOOST_TEST(s == "second");
	unlink(path.c_str());
	rmdir(tmpl);
}

BOOST_AUTO_TEST_SUITE_END()
