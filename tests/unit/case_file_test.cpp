// Case files: what a user writes, merged and checked before anything runs;
// every refusal names the file, line and column of what is wrong.
#include "harness/case/case_spec.h"
#include "harness/case/jq_observations.h"
#include "harness/case/value_codec.h"

#include <boost/test/unit_test.hpp>

#include <bpf/btf.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace xdplab;
namespace fs = std::filesystem;

namespace {

// A directory of case files for one test, removed afterwards.
struct CaseDir {
	fs::path dir = fs::temp_directory_path() / ("xdplab-case-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
	CaseDir() { fs::create_directories(dir); }
	~CaseDir() { fs::remove_all(dir); }
	std::string write(const std::string &name, const std::string &text) const
	{
		std::ofstream(dir / name) << text;
		return (dir / name).string();
	}
};

// A valid case to break one line at a time.
const std::string kCase = R"(# a user's question
id: my-router
title: My router redirects into the container's veth
claim: frames reach the container
links:
  snd: {ns: snd, peer: in, address: 198.18.0.1/24}
  in: {ns: dut, address: 198.18.0.2/24, xdp: {program: prog/xdp_peer, mode: native}}
objects:
  prog: {file: peer.bpf.o}
traffic:
  - frames: {from: snd, count: 8}
observe:
  delivered: .delivered.in
subtests:
  zeta:
    expect:
      - kernels: {from: "5.10"}
        observations: {delivered: 8}
        basis: my own reading
  alpha:
    with: {links: {in: {xdp: null}}}
    expect:
      - kernels: {from: 5.10}
        observations: {delivered: 8}
        basis: my own reading
)";

std::string error_of(const std::string &path)
{
	try {
		load_case_file(path);
	} catch (const CaseError &e) {
		return e.what();
	}
	return "";
}

std::string with_line(std::string text, const std::string &from, const std::string &to)
{
	auto pos = text.find(from);
	BOOST_REQUIRE(pos != std::string::npos);
	return text.replace(pos, from.size(), to);
}

} // namespace

BOOST_AUTO_TEST_SUITE(case_files)

BOOST_AUTO_TEST_CASE(a_good_case_resolves_each_subtest_in_file_order)
{
	CaseDir d;
	CaseFile f = load_case_file(d.write("c.yaml", kCase));
	BOOST_TEST(f.expectations.id == "my-router");
	BOOST_TEST(f.subtests == (std::vector<std::string>{"zeta", "alpha"})); // as written, not sorted
	const CaseSpec &zeta = f.specs.at("zeta"), &alpha = f.specs.at("alpha");
	BOOST_REQUIRE(zeta.link("in") && zeta.link("in")->xdp);
	BOOST_TEST(zeta.link("in")->xdp->program.str() == "prog/xdp_peer");
	BOOST_TEST(zeta.link("in")->peer == "snd"); // pairs are made from one side's `peer`
	BOOST_TEST(!alpha.link("in")->xdp);         // `with: ... xdp: null` removes it
	BOOST_TEST(zeta.objects.front().file == "builtin:peer.bpf.o");
	// 5.10 unquoted stays a version, not the number 5.1.
	BOOST_TEST(f.expectations.subtests.at("alpha").ranges.front().kernels.from->str() == "5.10.0");
	BOOST_TEST(zeta.observe.at("delivered") == ".delivered.in");
}

BOOST_AUTO_TEST_CASE(one_question_needs_no_subtests)
{
	CaseDir d;
	std::string text = kCase.substr(0, kCase.find("subtests:")) +
			   "expect:\n  - kernels: {from: \"5.10\"}\n    observations: {delivered: 8}\n    basis: mine\n";
	CaseFile f = load_case_file(d.write("c.yaml", text));
	BOOST_TEST(f.subtests == std::vector<std::string>{"default"});
}

BOOST_AUTO_TEST_CASE(refusals_name_file_line_and_column)
{
	CaseDir d;
	struct Bad {
		std::string from, to, where, what;
	};
	const std::vector<Bad> cases = {
		{"title:", "titel:", "c.yaml:3:1", "unknown key \"titel\""},
		{"address: 198.18.0.1/24}", "address: 10.0.0.1/24}", "c.yaml:6:37", "outside the harness's ranges"},
		{"peer: in,", "peer: ni,", "c.yaml:6:24", "no link \"ni\""},
		{"prog/xdp_peer", "prog/xdp_pier", "c.yaml:7:56", "has no program \"xdp_pier\" (it has: xdp_peer)"},
		{"file: peer.bpf.o", "file: nowhere.bpf.o", "c.yaml:9:16", "no such object file"},
		{"from: snd, count: 8", "from: snx, count: 8", "c.yaml:11:20", "no link \"snx\""},
		{"delivered: .delivered.in", "delivered: .delivered[", "c.yaml:13:14", "does not compile as jq"},
		{"{links: {in: {xdp: null}}}", "{linkz: {in: {xdp: null}}}", "c.yaml:21:12", "may change only the case's body"},
		{"mode: native", "mode: nativ", "c.yaml:7:77", "mode is native or generic"},
		{"  alpha:\n", "  alpha:\n    requires: 3\n", "c.yaml:21:15", ""},
		{"basis: my own reading\n  alpha", "basis: \"\"\n  alpha", "c.yaml:19:16", "every expectation needs a basis"},
		{"count: 8}", "count: 8}\n  - nmap: {}", "c.yaml:12:5", "unknown step \"nmap\""},
		{"id: my-router", "id: [my-router", "c.yaml:", "YAML syntax error"},
		{"count: 8}", "count: 8}\n  - mtu_limit: {program: prog/xdp_peer, link: in}", "c.yaml:12:47",
		 "the link must have no xdp of its own"},
		{"count: 8}", "count: 8}\n  - mtu_limit: {program: prog/xdp_peer, link: snd, from: 9000, to: 1500}",
		 "c.yaml:12:68", "to must be above from"},
		{"count: 8}", "count: 8}\n  - mtu_limit: {program: prog/xdp_peer, link: snd, mode: skb}", "c.yaml:12:58",
		 "mode: native or generic"},
		{"count: 8}", "count: 8}\n  - mtu_limit: {link: snd}", "c.yaml:12:16", "mtu_limit needs program"},
		{"address: 198.18.0.1/24}", "address: 198.18.0.1/24, tc: prog/tc_nope}", "c.yaml:6:56",
		 "has no program \"tc_nope\""},
	};
	for (const auto &b : cases) {
		std::string text = with_line(kCase, b.from, b.to);
		std::string err = error_of(d.write("c.yaml", text));
		BOOST_TEST(err.find(b.where) != std::string::npos, b.to << " -> " << err);
		BOOST_TEST(err.find(b.what) != std::string::npos, b.to << " -> " << err);
	}
}

BOOST_AUTO_TEST_CASE(includes_merge_under_the_case_and_keep_their_own_positions)
{
	CaseDir d;
	d.write("_base.yaml", "links:\n  snd: {ns: snd, peer: in}\n  in: {ns: dut, xdp: prog/xdp_peer}\n"
			      "objects:\n  prog: {file: peer.bpf.o}\nobserve:\n  delivered: .delivered\n");
	std::string c = d.write("c.yaml", "id: x\ntitle: t\nclaim: c\ninclude: _base.yaml\n"
					  "links:\n  in: {xdp: null, gro: true}\n"
					  "expect:\n  - kernels: {from: \"5.10\"}\n    observations: {delivered: {}}\n    basis: b\n");
	CaseFile f = load_case_file(c);
	const CaseSpec &s = f.specs.at("default");
	BOOST_TEST(!s.link("in")->xdp);
	BOOST_TEST(s.link("in")->offloads.size() == 1u);
	BOOST_TEST(f.sources.size() == 2u);
	// A mistake in the included file is reported there.
	d.write("_base.yaml", "links:\n  snd: {ns: snd, peer: in}\n  in: {ns: dut, mtux: 9000}\n");
	std::string err = error_of(c);
	BOOST_TEST(err.find("_base.yaml:3:17: unknown key \"mtux\"") != std::string::npos, err);
	// An included file holds only a case's body.
	d.write("_base.yaml", "title: stolen\n");
	BOOST_TEST(error_of(c).find("belongs in the case itself") != std::string::npos, error_of(c));
	// Nor may it include itself.
	d.write("_base.yaml", "include: _base.yaml\n");
	BOOST_TEST(error_of(c).find("includes itself") != std::string::npos, error_of(c));
}

BOOST_AUTO_TEST_CASE(an_included_file_may_name_subtests_and_what_varies_in_them)
{
	CaseDir d;
	d.write("_family.yaml", "links:\n  snd: {ns: snd, peer: in}\n  in: {ns: dut, xdp: {program: prog/xdp_peer}}\n"
				"objects:\n  prog: {file: peer.bpf.o}\nobserve:\n  delivered: .delivered\n"
				"subtests:\n  native: {}\n  generic:\n    with: {links: {in: {xdp: {mode: generic}}}}\n");
	std::string c = d.write("c.yaml", "id: x\ntitle: t\nclaim: c\ninclude: _family.yaml\ncounters: true\n"
					  "subtests:\n  native:\n    expect: [{kernels: {from: '5.10'}, observations: {delivered: 1}, basis: b}]\n"
					  "  generic:\n    expect: [{kernels: {from: '5.10'}, observations: {delivered: 1}, basis: b}]\n");
	CaseFile f = load_case_file(c);
	BOOST_TEST(f.subtests == (std::vector<std::string>{"native", "generic"}));
	BOOST_TEST(to_string(f.specs.at("generic").link("in")->xdp->mode) == "generic");
	BOOST_TEST(to_string(f.specs.at("native").link("in")->xdp->mode) == "native");
	BOOST_TEST(f.specs.at("native").counters);
	// What a subtest expects stays in the case that asks it.
	d.write("_family.yaml", "links:\n  snd: {ns: snd, peer: in}\nsubtests:\n  native:\n    expect: []\n");
	std::string err = error_of(c);
	BOOST_TEST(err.find("_family.yaml:5:5: an included file's subtest holds only with and requires") != std::string::npos,
		   err);
}

BOOST_AUTO_TEST_CASE(yaml_scalars_are_typed_as_written)
{
	LocatedDoc d = parse_yaml("a: 32\nb: 0x20\nc: '32'\nd: 5.10\ne: null\nf: true\ng: -1\nh: $packets\n", "t.yaml");
	BOOST_TEST(d.doc["a"] == json(32));
	BOOST_TEST(d.doc["b"] == json(32));
	BOOST_TEST(d.doc["c"] == json("32"));
	BOOST_TEST(d.doc["d"] == json("5.10"));
	BOOST_TEST(d.doc["e"].is_null());
	BOOST_TEST(d.doc["f"] == json(true));
	BOOST_TEST(d.doc["g"] == json(-1));
	BOOST_TEST(d.doc["h"] == json("$packets"));
	BOOST_TEST(d.locate("/d") == "t.yaml:4:4");
	BOOST_CHECK_THROW(parse_yaml("a: 1\na: 2\n", "t.yaml"), CaseError); // a key twice
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(value_codec)

BOOST_AUTO_TEST_CASE(symbols_resolve_into_btf_shapes)
{
	// struct { __u32 ifindex; __u8 dst[6]; __u16 port; __u32 keys[2]; }
	btf *b = btf__new_empty();
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int u8 = btf__add_int(b, "unsigned char", 1, 0);
	int u16 = btf__add_int(b, "unsigned short", 2, 0);
	int mac = btf__add_array(b, u32, u8, 6);
	int keys = btf__add_array(b, u32, u32, 2);
	int st = btf__add_struct(b, "cfg", 20);
	btf__add_field(b, "ifindex", u32, 0, 0);
	btf__add_field(b, "dst", mac, 32, 0);
	btf__add_field(b, "port", u16, 80, 0);
	btf__add_field(b, "keys", keys, 96, 0);
	SymbolValues sym;
	sym.ifindex = [](const std::string &l) { return l == "o0" ? 0x10000002 : 0; };
	sym.mac = [](const std::string &) { return std::vector<uint8_t>{2, 0x58, 0x4c, 0, 0, 1}; };
	ValueType t{b, static_cast<uint32_t>(st), 20};
	json v = json::parse(R"J({"ifindex": "ifindex(o0)", "dst": "mac(in)", "port": 47474, "keys": [1, "ifindex(o0)"]})J");
	auto bytes = encode_value(v, t, sym);
	BOOST_TEST(bytes.size() == 20u);
	BOOST_TEST(bytes[0] == 0x02);
	BOOST_TEST(bytes[3] == 0x10);
	BOOST_TEST(decode_value(bytes.data(), t) ==
		   json::parse(R"J({"ifindex": 268435458, "dst": "02:58:4c:00:00:01", "port": 47474, "keys": [1, 268435458]})J"));
	// What does not fit is refused, saying where.
	try {
		encode_value(json::parse(R"J({"port": 70000})J"), t, sym);
		BOOST_FAIL("70000 fitted in 2 bytes");
	} catch (const ValueError &e) {
		BOOST_TEST(std::string(e.what()).find("at .port: 70000 does not fit in 2 bytes") != std::string::npos, e.what());
	}
	BOOST_CHECK_THROW(encode_value(json::parse(R"J({"porter": 1})J"), t, sym), ValueError);
	BOOST_CHECK_THROW(encode_value(json::parse(R"J({"keys": [1, 2, 3]})J"), t, sym), ValueError);
	btf__free(b);
}

BOOST_AUTO_TEST_CASE(maps_declared_by_size_and_devmap_values)
{
	SymbolValues sym;
	sym.ifindex = [](const std::string &) { return 7; };
	sym.prog_fd = [](const std::string &) { return 42; };
	ValueType devmap8{nullptr, 0, 8, ValueType::Special::DevmapValue};
	auto v = encode_value(json::parse(R"J({"ifindex": "ifindex(o0)", "prog": "prog(e/x)"})J"), devmap8, sym);
	BOOST_TEST((v == std::vector<uint8_t>{7, 0, 0, 0, 42, 0, 0, 0}));
	ValueType devmap4{nullptr, 0, 4, ValueType::Special::DevmapValue};
	BOOST_TEST((encode_value(json("ifindex(o0)"), devmap4, sym) == std::vector<uint8_t>{7, 0, 0, 0}));
	BOOST_CHECK_THROW(encode_value(json::parse(R"J({"ifindex": 1, "prog": "prog(e/x)"})J"), devmap4, sym), ValueError);
	ValueType mac_key{nullptr, 0, 6};
	BOOST_TEST((encode_value(json("02:00:00:00:00:09"), mac_key, sym) == std::vector<uint8_t>{2, 0, 0, 0, 0, 9}));
	BOOST_TEST((encode_value(json("hex(0a0b)"), ValueType{nullptr, 0, 2}, sym) == std::vector<uint8_t>{10, 11}));
	BOOST_TEST((encode_value(json("ipv4(198.18.0.1)"), ValueType{nullptr, 0, 4}, sym) ==
		    std::vector<uint8_t>{198, 18, 0, 1}));
	BOOST_CHECK_THROW(encode_value(json("ipv4(198.18.0.1)"), ValueType{nullptr, 0, 6}, sym), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jq_observations)

BOOST_AUTO_TEST_CASE(the_prelude_reads_the_evidence)
{
	json doc = json::parse(R"({
	  "events": [{"stage": 1, "seq": 0, "meta_len": 4}, {"stage": 2, "seq": 0, "meta_len": 4},
	             {"stage": 1, "seq": 1, "meta_len": 4}, {"stage": 2, "seq": 1, "meta_len": 0}],
	  "delivered": {"target": 2, "sender": 0},
	  "tracepoints": [{"event": "xdp_redirect", "err": 0}, {"event": "xdp_bulk_tx", "sent": 0, "drops": 1, "err": -6}],
	  "links": {"in": {"ifindex": 7, "mac": "02:00:00:00:00:01"}}})");
	ObservationProgram p({{{"meta", "stage(2) | map(.meta_len) | uniform"},
			       {"frames", "frames_at(1)"},
			       {"drop", "drop_tracepoint"},
			       {"reached", "reached"},
			       {"in", "ifindex(\"in\")"},
			       {"xor", "bitxor(3237998080; 1)"},
			       {"hex", "ip_hex(\"fd00:0:0:2::2\") + ip_hex(\"198.18.2.2\")"},
			       {"nothing", "empty"}},
			      "def unused: 1;"});
	json o = p.evaluate(doc);
	BOOST_TEST(o["meta"] == json::parse(R"J({"varies": [4, 0]})J"));
	BOOST_TEST(o["frames"] == json(2));
	BOOST_TEST(o["drop"] == json::parse(R"J({"event": "xdp_bulk_tx", "err": -6})J"));
	BOOST_TEST(o["reached"] == json::parse(R"(["target"])"));
	BOOST_TEST(o["in"] == json(7));
	BOOST_TEST(o["xor"] == json(3237998081.0));
	BOOST_TEST(o["hex"] == json("fd000000000000020000000000000002c6120202"));
	BOOST_TEST(o["nothing"].is_null()); // an expression with no output observes null
}

BOOST_AUTO_TEST_CASE(a_failing_observation_is_named)
{
	ObservationProgram p({{{"fine", "1"}, {"broken", ".links | error(\"no luck\")"}}, ""});
	try {
		p.evaluate(json::object());
		BOOST_FAIL("an error was not reported");
	} catch (const JqError &e) {
		BOOST_TEST(std::string(e.what()).find("observation \"broken\": no luck") != std::string::npos, e.what());
	}
	auto problem = jq_check({{{{"fine", "1"}}, ""}, {{{"ok", "2"}, {"bad", ".a |"}}, ""}});
	BOOST_REQUIRE(problem);
	BOOST_TEST(problem->set == 1u);
	BOOST_TEST(problem->observation == "bad");
	BOOST_TEST(!jq_check({{{{"fine", "1"}}, "def two: 2;"}}));
}

BOOST_AUTO_TEST_SUITE_END()
