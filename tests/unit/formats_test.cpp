// KTAP, KCIDB and pcapng as the tools of kernel CI and packet capture read them.
#include "harness/formats/kcidb.h"
#include "harness/formats/ktap.h"
#include "harness/formats/pcapng.h"

#include <boost/test/unit_test.hpp>
#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

using namespace xdplab;

namespace {

SubtestResult subtest(const std::string &id, const std::string &sub, Verdict v, const std::string &reason = "")
{
	SubtestResult r;
	r.id = id;
	r.subtest = sub;
	r.verdict = v;
	r.reason = reason;
	r.observations = {{"delivered", 32}};
	r.expected = {{"delivered", 0}};
	r.basis = "8267fc71abb2 (6.3)";
	return r;
}

RunResults run(const std::string &release)
{
	RunResults r;
	r.kernel = {release, {6, 1, 158}};
	r.started = "2026-12-02T07:00:00Z";
	r.experiments = {subtest("egress-ifindex", "native", Verdict::Confirmed),
			 subtest("egress-ifindex", "generic", Verdict::Deviates, "delivered: expected 0, observed 32"),
			 subtest("veth-peer-needs-xdp", "no_peer_prog", Verdict::Skipped, "needs 6.3 # or later"),
			 subtest("veth-peer-needs-xdp", "gro", Verdict::Unpinned, "delivered accepts $any"),
			 subtest("pinned-maps", "reuse", Verdict::Error, "map create: EPERM\nsecond line")};
	r.catalog = {{"egress-ifindex", {{"title", "Egress ifindex in a devmap program"}}}};
	return r;
}

std::vector<std::string> lines_of(const std::string &text)
{
	std::vector<std::string> out;
	std::istringstream in(text);
	for (std::string l; std::getline(in, l);)
		out.push_back(l);
	return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ktap)

BOOST_AUTO_TEST_CASE(one_kernel_nests_subtests_under_experiments)
{
	RunResults r = run("6.1.0-41-amd64");
	auto l = lines_of(to_ktap(r));
	BOOST_REQUIRE_GE(l.size(), 10u);
	BOOST_TEST(l[0] == "KTAP version 1");
	BOOST_TEST(l[1] == "1..3");
	BOOST_TEST(l[2] == "# xdplab on kernel 6.1.0-41-amd64 (6.1.158)");
	BOOST_TEST(l[3] == "  KTAP version 1");
	BOOST_TEST(l[4] == "  1..2");
	BOOST_TEST(l[5] == "  # egress-ifindex: Egress ifindex in a devmap program");
	std::string text = to_ktap(r);
	BOOST_TEST(text.find("\n  ok 1 native\n") != std::string::npos);
	BOOST_TEST(text.find("\n  # expected: {\"delivered\":0}\n  # deviates: delivered: expected 0, observed 32\n"
			     "  # basis: 8267fc71abb2 (6.3)\n  not ok 2 generic\nnot ok 1 egress-ifindex\n") !=
		   std::string::npos);
	// The reason is diagnostic data: free text, '#' included.
	BOOST_TEST(text.find("  ok 1 no_peer_prog # SKIP needs 6.3 # or later\n") != std::string::npos);
	BOOST_TEST(text.find("  ok 2 gro # SKIP unpinned: delivered accepts $any\n") != std::string::npos);
	// Every subtest skipped or unpinned: the experiment is skipped, not passed.
	BOOST_TEST(text.find("\nok 2 veth-peer-needs-xdp # SKIP every subtest skipped\n") != std::string::npos);
	// An error is "not ok" with the ERROR directive, on one line.
	BOOST_TEST(text.find("  not ok 1 reuse # ERROR map create: EPERM second line\nnot ok 3 pinned-maps\n") !=
		   std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_matrix_nests_experiments_under_kernels)
{
	RunResults a = run("5.10.0-35-amd64"), b = run("6.1.0-41-amd64");
	b.experiments.resize(1); // only the confirmed subtest
	auto l = lines_of(to_ktap({&a, &b}));
	BOOST_TEST(l[0] == "KTAP version 1");
	BOOST_TEST(l[1] == "1..2");
	BOOST_TEST(l[3] == "  KTAP version 1");
	BOOST_TEST(l[4] == "  1..3");
	BOOST_TEST(l[5] == "  # xdplab on kernel 5.10.0-35-amd64 (6.1.158)");
	BOOST_TEST(l[6] == "    KTAP version 1");
	BOOST_TEST(std::count(l.begin(), l.end(), "not ok 1 5.10.0-35-amd64") == 1);
	BOOST_TEST(l[l.size() - 2] == "  ok 1 egress-ifindex");
	BOOST_TEST(l.back() == "ok 2 6.1.0-41-amd64");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(kcidb)

BOOST_AUTO_TEST_CASE(statuses_paths_and_builds)
{
	ResultFile host{"/results/6.1.0-41-amd64.json", run("6.1.0-41-amd64")};
	ResultFile vm{"/results/ci/5.10.0-35-amd64.json", run("5.10.0-35-amd64")};
	vm.results.runner = {{"kind", "vm"},
			     {"accel", "tcg"},
			     {"package", "linux-image-5.10.0-35-amd64"},
			     {"version", "5.10.237-1"},
			     {"console_log", "/results/ci/console-5.10 log.txt"}};
	vm.results.experiments[0].evidence["pcap_file"] = "/results/ci/frames/egress-ifindex--native.pcapng";
	auto doc = to_kcidb({host, vm}, {.artifacts_url = "https://ci.example/run/7/", .base_dir = "/results"});
	BOOST_TEST(doc["version"]["major"] == 5);
	BOOST_REQUIRE_EQUAL(doc["checkouts"].size(), 2u);
	BOOST_REQUIRE_EQUAL(doc["builds"].size(), 2u);
	BOOST_REQUIRE_EQUAL(doc["tests"].size(), 10u);
	BOOST_TEST(doc["checkouts"][0]["id"] == "xdplab:host_6.1.0-41-amd64");
	const auto &b = doc["builds"][1];
	BOOST_TEST(b["checkout_id"] == "xdplab:linux-image-5.10.0-35-amd64_5.10.237-1");
	BOOST_TEST(b["misc"]["debian_version"] == "5.10.237-1");
	BOOST_TEST(b["log_url"] == "https://ci.example/run/7/ci/console-5.10%20log.txt");
	BOOST_TEST(b["output_files"][0]["url"] == "https://ci.example/run/7/ci/5.10.0-35-amd64.json");
	std::vector<std::string> statuses, paths;
	for (const auto &t : doc["tests"]) {
		statuses.push_back(t["status"]);
		paths.push_back(t["path"]);
	}
	std::vector<std::string> want = {"PASS", "FAIL", "SKIP", "DONE", "ERROR"};
	BOOST_TEST(std::vector<std::string>(statuses.begin(), statuses.begin() + 5) == want, boost::test_tools::per_element());
	BOOST_TEST(paths[0] == "xdplab.egress-ifindex.native");
	BOOST_TEST(doc["tests"][5]["output_files"][0]["name"] == "egress-ifindex--native.pcapng");
	BOOST_TEST(doc["tests"][1]["misc"]["basis"] == "8267fc71abb2 (6.3)");
	// Without a base URL: file:// URLs of the files where they are.
	auto local = to_kcidb({host});
	BOOST_TEST(local["builds"][0]["output_files"][0]["url"] == "file:///results/6.1.0-41-amd64.json");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pcapng)

BOOST_AUTO_TEST_CASE(libpcap_reads_back_every_frame_in_time_order)
{
	std::vector<uint8_t> a(60, 0xaa), b(1514, 0xbb);
	std::vector<PcapInterface> ifs = {
		{"cli", "egress-ifindex/native: sent from link cli", {{1000000001000ull, a, 60, true, "sent"}}},
		{"eth", "egress-ifindex/native: receiver eth", {{1000000000500ull, b, 9000, false, "seq 0"},
							       {1000000002000ull, a, 60, false, ""}}}};
	std::string file = to_pcapng(ifs);
	BOOST_TEST(file.size() % 4 == 0u);
	FILE *f = fmemopen(file.data(), file.size(), "r");
	BOOST_REQUIRE(f);
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
	BOOST_REQUIRE_MESSAGE(p, err);
	BOOST_TEST(pcap_datalink(p) == DLT_EN10MB);
	std::vector<std::pair<uint64_t, uint32_t>> seen; // (ts, caplen)
	pcap_pkthdr *h;
	const u_char *data;
	std::vector<uint32_t> lens;
	while (pcap_next_ex(p, &h, &data) == 1) {
		seen.emplace_back(uint64_t(h->ts.tv_sec) * 1000000000ull + uint64_t(h->ts.tv_usec), h->caplen);
		lens.push_back(h->len);
		BOOST_TEST(data[0] == (h->caplen == 1514 ? 0xbb : 0xaa));
	}
	pcap_close(p); // closes f
	BOOST_REQUIRE_EQUAL(seen.size(), 3u);
	BOOST_TEST(seen[0].first == 1000000000500ull); // nanoseconds survive
	BOOST_TEST(seen[0].second == 1514u);
	BOOST_TEST(lens[0] == 9000u); // the length on the wire, beyond what was captured
	BOOST_TEST(seen[1].first == 1000000001000ull);
	BOOST_TEST(seen[2].first == 1000000002000ull);
}

BOOST_AUTO_TEST_SUITE_END()
