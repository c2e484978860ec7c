#include "harness/basis/basis.h"
#include "harness/basis/boundary_lint.h"
#include "harness/basis/commit_registry.h"
#include "harness/verdict.h"
#include "harness/vm/changelog.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace xdplab;

namespace {

std::string recorded_changelog()
{
	std::ifstream in(std::string(XDPLAB_FIXTURES) + "/changelog/linux-6.1-backports-excerpt.changelog");
	BOOST_REQUIRE(in);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

const char *kRegistry = R"(commits:
  - id: ca9984c5f0ab
    subject: 'bpf: devmap: provide rxq after redirect'
    mainline: '6.12'
    evidence: 'Linux 6.12-rc4 shortlog'
    stable:
      '6.6': {release: 6.6.59, id: 49454f09936a, evidence: 'linux-6.6.y push, Linux 6.6.58 -> 6.6.59'}
  - id: 4540aed51b12
    subject: 'bpf: Enforce expected_attach_type for tailcall compatibility'
    mainline: '6.18'
    evidence: 'bpf-next, 6.18 merge window'
    stable:
      '6.6': {release: 6.6.112, id: 08cb3dc9d2b4, evidence: 'linux-6.6.y push'}
      '6.17': {release: 6.17.3, id: c1ad19b5d8e2, evidence: 'linux-6.17.y push'}
  - id: b39ffa50b415
    subject: 'bpf: Prevent tail call between progs attached to different hooks'
    mainline: '6.12'
    evidence: 'BPF changes for v6.12'
  - id: c8064e5b4ada
    subject: 'bpf: Let bpf_warn_invalid_xdp_action() report more info'
    mainline: '5.17'
    evidence: 'bpf-next'
)";

// 6.17.5-1~exp1 as Debian wrote it: two links, the first with nothing under it.
const char *kGroupedLinks = R"(linux (6.17.5-1~exp1) experimental; urgency=medium

  * New upstream stable update:
    https://www.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.17.3
    https://www.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.17.4
    - scsi: mvsas: Fix use-after-free bugs in mvs_work_queue (CVE-2025-40001)
    https://www.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.17.5
    - docs: kdoc: handle the obsolescensce of docutils.ErrorString()
      (Closes: #1118100)

  [ Bastian Blank ]
  * [ppc64, ppc64el] Drop installation of unavailable crtsavres.o.

 -- Bastian Blank <waldi@debian.org>  Fri, 24 Oct 2025 18:55:49 +0200
)";

Basis basis_of(const std::vector<SeriesChangelog> &logs, const std::map<std::string, std::vector<ServedBuild>> &served)
{
	return compute_basis(parse_commit_registry(kRegistry, "_commits.yaml"), {}, logs, served);
}

SeriesChangelog series_61()
{
	return {"6.1", "linux-image-6.1.0-57-amd64", "6.1.192-3", parse_debian_changelog(recorded_changelog())};
}

const std::map<std::string, std::vector<ServedBuild>> kServed = {
	{"6.1", {{"linux-image-6.1.0-47-amd64", "6.1.170-3", "6.1.170"}, {"linux-image-6.1.0-57-amd64", "6.1.192-3", "6.1.192"}}},
	{"6.12", {{"linux-image-6.12.43+deb12-amd64", "6.12.43-1~bpo12+1", "6.12.43"},
		  {"linux-image-6.12.57+deb12-amd64", "6.12.57-1~bpo12+1", "6.12.57"}}},
};

} // namespace

BOOST_AUTO_TEST_SUITE(basis)

BOOST_AUTO_TEST_CASE(items_sit_under_the_stable_release_that_lists_them)
{
	auto entries = parse_debian_changelog(recorded_changelog());
	const ChangelogEntry *e115 = nullptr;
	for (const auto &e : entries)
		if (e.version == "6.1.115-1")
			e115 = &e;
	BOOST_REQUIRE(e115);
	bool found = false;
	for (const auto &item : e115->items)
		if (item.text == "bpf: devmap: provide rxq after redirect") {
			found = true;
			BOOST_TEST(item.release == "6.1.115");
			BOOST_TEST(item.earliest == "6.1.115");
		}
	BOOST_TEST(found);
	// A wrapped subject is one item, its CVE tag left to item_subject().
	bool wrapped = false;
	for (const auto &e : entries)
		for (const auto &item : e.items)
			if (item.text.starts_with("bpf: Prevent tail call")) {
				wrapped = true;
				BOOST_TEST(item.text == "bpf: Prevent tail call between progs attached to different hooks (CVE-2024-50063)");
				BOOST_TEST(item_subject(item.text) == "bpf: Prevent tail call between progs attached to different hooks");
				BOOST_TEST(item.release == "6.1.135");
			}
	BOOST_TEST(wrapped);
}

BOOST_AUTO_TEST_CASE(item_subject_drops_what_debian_adds)
{
	BOOST_TEST(item_subject("[x86] bpf, x64: Fix tailcall infinite loop") == "bpf, x64: Fix tailcall infinite loop");
	BOOST_TEST(item_subject("docs: kdoc: handle it (Closes: #1118100)") == "docs: kdoc: handle it");
	BOOST_TEST(item_subject("ksmbd: validate size (CVE-2025-1) (Closes: #1)") == "ksmbd: validate size");
	BOOST_TEST(item_subject("net: keep (this) part") == "net: keep (this) part");
}

BOOST_AUTO_TEST_CASE(grouped_links_leave_the_release_open_between_them)
{
	auto entries = parse_debian_changelog(kGroupedLinks);
	BOOST_REQUIRE(entries.size() == 1u);
	std::vector<ChangelogItem> upstream, own;
	for (const auto &item : entries[0].items)
		(item.release.empty() ? own : upstream).push_back(item);
	BOOST_REQUIRE(upstream.size() == 2u);
	BOOST_TEST(upstream[0].release == "6.17.4");
	BOOST_TEST(upstream[0].earliest == "6.17.3");
	BOOST_TEST(upstream[1].release == "6.17.5");
	BOOST_TEST(upstream[1].earliest == "6.17.5");
	BOOST_TEST(upstream[1].text == "docs: kdoc: handle the obsolescensce of docutils.ErrorString() (Closes: #1118100)");
	// Debian's own items are kept apart from upstream commits.
	BOOST_REQUIRE(own.size() == 2u);
	BOOST_TEST(own[0].text == "New upstream stable update:");
	BOOST_TEST(own[1].text == "[ppc64, ppc64el] Drop installation of unavailable crtsavres.o.");
}

BOOST_AUTO_TEST_CASE(first_build_per_series_from_the_changelog)
{
	SeriesChangelog log61 = series_61();
	Basis b = basis_of({log61}, kServed);
	const SeriesBasis *rxq = b.of("ca9984c5f0ab")->in("6.1");
	BOOST_REQUIRE(rxq);
	BOOST_TEST(rxq->status == "listed");
	BOOST_TEST(rxq->release == "6.1.115");
	BOOST_TEST(rxq->debian_version == "6.1.115-1");
	BOOST_TEST(rxq->first_served == "6.1.170-3");
	BOOST_TEST(rxq->last_served_without.empty());
	// Debian skipped 6.1.156 and 6.1.157: the first upload with 6.1.156 is 6.1.158-1.
	const SeriesBasis *tail = b.of("4540aed51b12")->in("6.1");
	BOOST_TEST(tail->release == "6.1.156");
	BOOST_TEST(tail->debian_version == "6.1.158-1");
	// A series that starts after the commit has it in every build.
	BOOST_TEST(b.of("c8064e5b4ada")->in("6.1")->status == "mainline");
	// A commit the changelog does not list, with no recorded backport.
	SeriesChangelog log612 = {"6.12", "linux-image-6.12.57+deb12-amd64", "6.12.57-1~bpo12+1", {}};
	Basis b2 = basis_of({log612}, kServed);
	BOOST_TEST(b2.of("4540aed51b12")->in("6.12")->status == "absent");
}

BOOST_AUTO_TEST_CASE(a_recorded_backport_is_placed_among_the_builds_served)
{
	SeriesChangelog log612 = {"6.12", "linux-image-6.12.57+deb12-amd64", "6.12.57-1~bpo12+1", {}};
	CommitRegistry r = parse_commit_registry(kRegistry, "_commits.yaml");
	r.commits[1].stable["6.12"] = {"6.12.53", "f856c598080b", "linux-6.12.y push"};
	Basis b = compute_basis(r, {}, {log612}, kServed);
	const SeriesBasis *s = b.of("4540aed51b12")->in("6.12");
	BOOST_TEST(s->status == "recorded");
	BOOST_TEST(s->first_served == "6.12.57-1~bpo12+1");
	BOOST_TEST(s->last_served_without == "6.12.43-1~bpo12+1");
	// Round trip through the cache lint reads.
	Basis back = basis_from_json(basis_to_json(b), r);
	BOOST_TEST(back.of("4540aed51b12")->in("6.12")->last_served_without == "6.12.43-1~bpo12+1");
}

BOOST_AUTO_TEST_CASE(commits_debian_lists_under_its_own_item_are_items)
{
	auto entries = parse_debian_changelog("linux (6.1.116-1) bookworm; urgency=medium\n\n"
					      "  * [x86] Backport fixes for foo:\n"
					      "    - x86/foo: bar\n"
					      "    - bpf: devmap: provide rxq after redirect\n\n"
					      " -- X <x@y>  Fri, 08 Nov 2024 05:23:37 +0100\n");
	BOOST_REQUIRE(entries.size() == 1u);
	BOOST_REQUIRE(entries[0].items.size() == 3u);
	BOOST_TEST(entries[0].items[2].text == "bpf: devmap: provide rxq after redirect");
	BOOST_TEST(entries[0].items[2].release.empty()); // Debian's own: the upload's version counts
}

BOOST_AUTO_TEST_CASE(a_revert_in_the_same_upload_is_noticed)
{
	std::string text = "linux (6.1.115-1) bookworm; urgency=medium\n\n  * New upstream stable update:\n"
			   "    https://www.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.1.114\n"
			   "    - bpf: devmap: provide rxq after redirect\n"
			   "    https://www.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.1.115\n"
			   "    - Revert \"bpf: devmap: provide rxq after redirect\"\n\n"
			   " -- X <x@y>  Fri, 01 Nov 2024 05:23:37 +0100\n";
	Basis b = basis_of({{"6.1", "p", "6.1.115-1", parse_debian_changelog(text)}}, kServed);
	BOOST_TEST(b.of("ca9984c5f0ab")->in("6.1")->reverted_in == "6.1.115-1");
	// The lint does not take a reverted commit as carried.
	auto found = lint_boundaries(
		parse_expectations(R"({"id": "x", "title": "t", "seed": "s", "claim": "c", "subtests": {"native": {"expect": [
			{"kernels": {"from": "6.1.114", "until": "6.2", "from_commit": "ca9984c5f0ab"}, "observations": {"a": 1}, "basis": "b"}]}}})",
				   "x.json"),
		parse_commit_registry(kRegistry, "_commits.yaml"), b);
	BOOST_REQUIRE(!found.empty());
	BOOST_TEST(found[0].message.find("revert") != std::string::npos, found[0].message);
}

BOOST_AUTO_TEST_CASE(a_registry_entry_with_a_malformed_mainline_is_refused)
{
	BOOST_CHECK_THROW(parse_commit_registry("commits:\n  - {id: ca9984c5f0ab, subject: s, mainline: 'v6.12', evidence: e}\n", "r"),
			  RegistryError);
	BOOST_CHECK_THROW(parse_commit_registry("commits:\n  - {id: ca9984c5f0ab, subject: s, mainline: '', evidence: e}\n", "r"),
			  RegistryError);
}

BOOST_AUTO_TEST_CASE(reverts_are_noticed)
{
	std::string text = std::string("linux (6.1.116-1) bookworm; urgency=medium\n\n  * New upstream stable update:\n"
				       "    https://www.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.1.116\n"
				       "    - Revert \"bpf: devmap: provide rxq after redirect\"\n\n"
				       " -- X <x@y>  Fri, 08 Nov 2024 05:23:37 +0100\n\n") +
			   recorded_changelog();
	Basis b = basis_of({{"6.1", "p", "6.1.116-1", parse_debian_changelog(text)}}, kServed);
	BOOST_TEST(b.of("ca9984c5f0ab")->in("6.1")->reverted_in == "6.1.116-1");
}

BOOST_AUTO_TEST_CASE(commit_ids_in_text)
{
	auto ids = commit_ids_in("ca9984c5f0ab (6.12-rc4); a778fbe087c19f4ece5f5fc14173328f070c3803 backport; "
				 "ptr ffff94464cacb100; word deadbeefcafe; 123456789012; ABCDEF123456");
	BOOST_TEST(ids.count("ca9984c5f0ab") == 1u);
	BOOST_TEST(ids.count("a778fbe087c19f4ece5f5fc14173328f070c3803") == 1u);
	BOOST_TEST(ids.size() == 2u); // no address, no all-letter word, no number, no upper case
	CommitRegistry r = parse_commit_registry(kRegistry, "_commits.yaml");
	BOOST_TEST(r.find("49454f09936a")->id == "ca9984c5f0ab"); // a backport's id finds its commit
	BOOST_TEST(r.find("ca9984c5f0ab1234") != nullptr);
	BOOST_TEST(r.find("0123456789ab") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(boundary_lint)

namespace {

ExpectationFile file_with(const std::string &ranges)
{
	std::string text = R"({"id": "x", "title": "t", "seed": "s", "claim": "c", "subtests": {"native": {"expect": [)" +
			   ranges + "]}}}";
	return parse_expectations(text, "x.json");
}

std::vector<LintFinding> lint(const std::string &ranges)
{
	Basis b = basis_of({series_61()}, kServed);
	return lint_boundaries(file_with(ranges), parse_commit_registry(kRegistry, "_commits.yaml"), b);
}

std::string errors(const std::vector<LintFinding> &found)
{
	std::string out;
	for (const auto &f : found)
		if (f.error)
			out += f.message + "\n";
	return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(an_edge_at_the_first_build_carrying_its_commit_passes)
{
	auto found = lint(R"({"kernels": {"from": "6.1", "until": "6.1.115", "until_commit": "ca9984c5f0ab"},
			      "observations": {"a": 1}, "basis": "before ca9984c5f0ab"},
			     {"kernels": {"from": "6.1.115", "until": "6.2", "from_commit": "ca9984c5f0ab"},
			      "observations": {"a": 2}, "basis": "ca9984c5f0ab"})");
	BOOST_TEST(errors(found) == "");
}

BOOST_AUTO_TEST_CASE(an_edge_at_the_build_we_happened_to_observe_is_an_error)
{
	auto found = lint(R"({"kernels": {"from": "6.1.176", "until": "6.2", "from_commit": "ca9984c5f0ab"},
			      "observations": {"a": 2}, "basis": "ca9984c5f0ab"})");
	std::string e = errors(found);
	BOOST_TEST(e.find("arrives in 6.1.y at 6.1.115") != std::string::npos, e);
	BOOST_TEST(e.find("6.1.115-1") != std::string::npos, e); // what the changelog says
	BOOST_TEST(e.find("/subtests/native/expect/0/kernels/from") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(a_mainline_edge_must_be_the_commits_release)
{
	auto found = lint(R"({"kernels": {"from": "6.13", "from_commit": "ca9984c5f0ab"},
			      "observations": {"a": 2}, "basis": "ca9984c5f0ab"})");
	BOOST_TEST(errors(found).find("first in mainline 6.12") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_range_reaching_over_a_backport_is_an_error)
{
	// The example of the issue: 6.2 .. 6.12.53 "without" the commit holds 6.6.112+.
	auto found = lint(R"({"kernels": {"from": "6.2", "until": "6.12.53", "until_commit": "4540aed51b12"},
			      "observations": {"a": 1}, "basis": "before 4540aed51b12"})");
	std::string e = errors(found);
	BOOST_TEST(e.find("6.6.y carries it from 6.6.112") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(an_edge_inside_a_served_series_without_a_commit_warns)
{
	auto found = lint(R"({"kernels": {"from": "6.1.120"}, "observations": {"a": 1}, "basis": "b"})");
	BOOST_REQUIRE(found.size() == 1u);
	BOOST_TEST(!found[0].error);
	BOOST_TEST(found[0].message.find("names no commit") != std::string::npos);
	// An unknown commit cited in a basis is a warning, one named at an edge an error.
	auto unknown = lint(R"({"kernels": {"from": "6.1.115", "from_commit": "0123456789ab"},
				"observations": {"a": 1}, "basis": "see 0123456789ab"})");
	BOOST_TEST(errors(unknown).find("0123456789ab is not in") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(unpinned)

BOOST_AUTO_TEST_CASE(an_expectation_that_accepts_either_outcome_is_not_a_verdict)
{
	auto f = parse_expectations(R"({"id": "x", "title": "t", "seed": "s", "claim": "c", "subtests": {"native": {"expect": [
		{"kernels": {"from": "6.2"}, "observations": {"errno": {"$one_of": [0, 22]}, "retval": 2,
		 "note": {"$incidental": "printed once per boot"}}, "basis": "b"}]}}})",
				    "x.json");
	const SubtestExpectation &st = f.subtests.at("native");
	MatchContext ctx;
	Evaluation open = evaluate(st, {6, 6, 100}, {{"errno", 22}, {"retval", 2}, {"note", "x"}}, ctx);
	BOOST_TEST(to_string(open.verdict) == "unpinned");
	BOOST_TEST(open.reason.find("errno = 22") != std::string::npos, open.reason);
	BOOST_TEST(open.reason.find("note") == std::string::npos, open.reason); // incidental: not the claim
	// A mismatch elsewhere still deviates.
	Evaluation dev = evaluate(st, {6, 6, 100}, {{"errno", 22}, {"retval", 3}, {"note", "x"}}, ctx);
	BOOST_TEST(to_string(dev.verdict) == "deviates");
	// Only $incidental left open: a verdict.
	auto pinned = parse_expectations(R"({"id": "x", "title": "t", "seed": "s", "claim": "c", "subtests": {"native": {"expect": [
		{"kernels": {"from": "6.2"}, "observations": {"retval": 2, "note": {"$incidental": "once per boot"}}, "basis": "b"}]}}})",
					 "x.json");
	BOOST_TEST(to_string(evaluate(pinned.subtests.at("native"), {6, 6, 100}, {{"retval", 2}, {"note", "x"}}, ctx).verdict) ==
		   "confirmed");
	// Nested paths are named.
	BOOST_TEST(open_observations(json::parse(R"({"a": {"b": {"$any": "x"}}, "c": [1, {"$one_of": [1, 2]}]})")) ==
			   (std::vector<std::string>{"a.b", "c[1]"}),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
