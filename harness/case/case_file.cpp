// Reading a case file: includes merged, the expectations handed to the
// catalog's parser, and every subtest resolved (`with:` merged in) and
// checked by case_check.cpp. Nothing here touches the kernel.
#include "case_check.h"
#include "case_spec.h"

#include <filesystem>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// Keys of the case's body: what a subtest's `with:` may change.
const std::set<std::string> kBodyKeys = {"namespaces", "links",       "objects", "entries",         "receivers", "traffic",
					 "observe",    "definitions", "read",    "wait_for_copies", "kernel_log",
					 "counters"};
const std::set<std::string> kExpectationKeys = {"id", "title", "seed", "claim", "requires", "headline"};

// An included file may name subtests with what varies in each (`with`, and
// the `requires` that variation brings): a family of cases asks their own
// questions over the same variations, each giving its `expect` per subtest.
// What a subtest expects stays in the case that asks.
void check_included_subtests(const LocatedDoc &part)
{
	const json &subtests = part.doc["subtests"];
	if (!subtests.is_object())
		part.fail("/subtests", "subtests: a mapping of subtest name to {with, requires}");
	for (auto st = subtests.begin(); st != subtests.end(); ++st) {
		std::string p = "/subtests/" + pointer_token(st.key());
		if (!st.value().is_object())
			part.fail(p, "a subtest of an included file is {with, requires} (or {})");
		for (auto k = st.value().begin(); k != st.value().end(); ++k)
			if (k.key() != "with" && k.key() != "requires")
				part.fail_key(p + "/" + pointer_token(k.key()),
					      "an included file's subtest holds only with and requires (" + k.key() +
						      " belongs in the case itself)");
	}
}

// Includes first (each relative to the file naming it), then the file itself on top.
LocatedDoc read_with_includes(const std::string &path, std::set<std::string> &chain, std::vector<std::string> &sources)
{
	sources.push_back(path);
	std::string canon = fs::weakly_canonical(path).string();
	if (chain.count(canon))
		throw CaseError(path + ": includes itself");
	chain.insert(canon);
	LocatedDoc own = read_yaml_file(path);
	if (!own.doc.is_object())
		own.fail("", "a case file is a mapping of keys (id, links, objects, traffic, observe, subtests, ...)");
	LocatedDoc merged;
	merged.path = path;
	if (own.doc.contains("include")) {
		json inc = own.doc["include"];
		std::vector<std::string> files;
		if (inc.is_string())
			files.push_back(inc.get<std::string>());
		else if (inc.is_array())
			for (size_t i = 0; i < inc.size(); ++i) {
				if (!inc[i].is_string())
					own.fail("/include/" + std::to_string(i), "an include is a file name");
				files.push_back(inc[i].get<std::string>());
			}
		else
			own.fail("/include", "include: a file name or a list of them");
		for (size_t i = 0; i < files.size(); ++i) {
			fs::path p = fs::path(path).parent_path() / files[i];
			if (!fs::is_regular_file(p))
				own.fail(inc.is_array() ? "/include/" + std::to_string(i) : "/include",
					 "no such file: " + p.string());
			LocatedDoc part = read_with_includes(p.string(), chain, sources);
			for (auto it = part.doc.begin(); it != part.doc.end(); ++it)
				if (it.key() == "subtests")
					check_included_subtests(part);
				else if (!kBodyKeys.count(it.key()))
					part.fail_key("/" + pointer_token(it.key()),
						  "an included file holds only the case's body and its subtests' variations (" +
							  it.key() + " belongs in the case itself)");
			merged.merge(part);
		}
		own.erase("/include");
	}
	merged.merge(own);
	chain.erase(canon);
	return merged;
}

LocatedDoc only_keys(const LocatedDoc &doc, const std::set<std::string> &keep)
{
	LocatedDoc out = doc;
	for (auto it = doc.doc.begin(); it != doc.doc.end(); ++it)
		if (!keep.count(it.key()))
			out.erase("/" + pointer_token(it.key()));
	return out;
}

} // namespace

CaseFile load_case_file(const std::string &path, bool check_observations)
{
	std::set<std::string> chain;
	std::vector<std::string> sources;
	LocatedDoc doc = read_with_includes(path, chain, sources);
	doc.path = path;

	std::set<std::string> allowed = kBodyKeys;
	allowed.insert(kExpectationKeys.begin(), kExpectationKeys.end());
	for (const char *k : {"subtests", "expect", "seed_claim", "kernel_warnings"})
		allowed.insert(k);
	for (auto it = doc.doc.begin(); it != doc.doc.end(); ++it)
		if (!allowed.count(it.key()))
			doc.fail_key("/" + pointer_token(it.key()), "unknown key \"" + it.key() + "\" (see README, \"Case files\")");

	// A case with one question may give `expect` at the top: its subtest is "default".
	if (doc.doc.contains("expect") || doc.doc.contains("seed_claim")) {
		if (doc.doc.contains("subtests"))
			doc.fail("/expect", "expect goes inside each subtest when the case has subtests");
		LocatedDoc single = only_keys(doc, {"expect", "seed_claim"});
		doc.erase("/expect");
		doc.erase("/seed_claim");
		doc.merge(single, "/subtests/default");
	}
	if (!doc.doc.contains("subtests"))
		doc.fail("", "no expectations: give `expect:` (one question) or `subtests:`");
	if (!doc.doc["subtests"].is_object() || doc.doc["subtests"].empty())
		doc.fail("/subtests", "subtests: a mapping of subtest name to {with, expect, ...}");

	CaseFile out;
	out.path = path;
	out.sources = sources;
	out.subtests = doc.keys_in_order("/subtests");

	// The expectations, in the catalog's own format and parser.
	json expectations = json::object();
	for (const auto &k : kExpectationKeys)
		if (doc.doc.contains(k))
			expectations[k] = doc.doc[k];
	expectations["subtests"] = json::object();
	for (const auto &name : out.subtests) {
		const json &st = doc.doc["subtests"][name];
		std::string where = "/subtests/" + pointer_token(name);
		if (!st.is_object())
			doc.fail(where, "a subtest is a mapping: with, requires, seed_claim, headline, expect");
		json e = json::object();
		for (auto it = st.begin(); it != st.end(); ++it) {
			if (it.key() == "with" || it.key() == "requires")
				continue;
			e[it.key()] = it.value();
		}
		expectations["subtests"][name] = e;
	}
	if (!expectations.contains("id"))
		doc.fail("", "missing \"id\" (the case's name in results and reports)");
	if (!expectations.contains("title"))
		doc.fail("", "missing \"title\" (one line: what the case asks)");
	if (!expectations.contains("claim"))
		doc.fail("", "missing \"claim\" (what you assume the kernel does)");
	try {
		out.expectations = parse_expectations_doc(expectations, path, [&](const std::string &p) { return doc.locate(p); });
	} catch (const ExpectationError &e) {
		throw CaseError(e.what());
	}

	if (doc.doc.contains("kernel_warnings")) {
		const json &w = doc.doc["kernel_warnings"];
		if (!w.is_array())
			doc.fail("/kernel_warnings", "kernel_warnings: a list of {pattern, why}");
		for (size_t i = 0; i < w.size(); ++i) {
			std::string p = "/kernel_warnings/" + std::to_string(i);
			if (!w[i].is_object() || !w[i].contains("pattern") || !w[i].contains("why") || w[i].size() != 2 ||
			    !w[i]["pattern"].is_string() || !w[i]["why"].is_string())
				doc.fail(p, "a provoked kernel warning is {pattern: <regex>, why: <text>}");
			try {
				std::regex re(w[i]["pattern"].get<std::string>());
			} catch (const std::regex_error &e) {
				doc.fail(p + "/pattern", std::string("not a regular expression: ") + e.what());
			}
			out.kernel_warnings.push_back({w[i]["pattern"], w[i]["why"]});
		}
	}

	// Each subtest: the body with its `with:` merged in, then checked.
	LocatedDoc body = only_keys(doc, kBodyKeys);
	CaseContext ctx{path, fs::path(path).parent_path().string(), out.expectations.id};
	ObjectCatalog objects; // each object file opened once for all subtests
	std::vector<ObservationSet> sets;
	std::vector<LocatedDoc> set_docs; // each set's resolved subtest, to point at a problem
	for (const auto &name : out.subtests) {
		std::string where = "/subtests/" + pointer_token(name);
		const json &st = doc.doc["subtests"][name];
		for (auto it = st.begin(); it != st.end(); ++it)
			if (!std::set<std::string>{"with", "requires", "seed_claim", "headline", "expect"}.count(it.key()))
				doc.fail_key(where + "/" + pointer_token(it.key()), "unknown key \"" + it.key() + "\" in a subtest");
		LocatedDoc resolved = body;
		if (st.contains("with")) {
			LocatedDoc with = doc.subtree(where + "/with");
			if (!with.doc.is_object())
				doc.fail(where + "/with", "with: the parts of the case this subtest changes");
			for (auto it = with.doc.begin(); it != with.doc.end(); ++it)
				if (!kBodyKeys.count(it.key()))
					with.fail_key("/" + pointer_token(it.key()),
						      "a subtest may change only the case's body, not \"" + it.key() + "\"");
			resolved.merge(with);
		}
		CaseSpec spec = check_case(resolved, ctx, name, objects);
		if (st.contains("requires"))
			spec.requires_ = check_requirements(doc, where + "/requires");
		if (check_observations) {
			sets.push_back({spec.observe, spec.definitions});
			set_docs.push_back(resolved);
		}
		out.specs[name] = std::move(spec);
		if (name == out.subtests.front())
			out.document = resolved.doc;
	}
	if (auto p = jq_check(sets))
		set_docs[p->set].fail(p->observation.empty() ? "/definitions" : "/observe/" + pointer_token(p->observation),
				   (p->observation.empty() ? "the jq definitions do not compile: " : "does not compile as jq: ") +
					   p->message);
	// Registered for evaluation only now: a set that does not compile would
	// spoil the one program all of them are compiled into.
	for (auto &[name, spec] : out.specs)
		spec.program = std::make_shared<ObservationProgram>(ObservationSet{spec.observe, spec.definitions});
	return out;
}

std::vector<std::string> CaseFile::object_files() const
{
	std::set<std::string> files;
	for (const auto &[name, spec] : specs)
		for (const auto &o : spec.objects)
			if (o.file.rfind("builtin:", 0) != 0)
				files.insert(o.file);
	return {files.begin(), files.end()};
}

const LinkSpec *CaseSpec::link(const std::string &name) const
{
	for (const auto &l : links)
		if (l.name == name)
			return &l;
	return nullptr;
}

const ObjectSpec *CaseSpec::object(const std::string &name) const
{
	for (const auto &o : objects)
		if (o.name == name)
			return &o;
	return nullptr;
}

} // namespace xdplab
