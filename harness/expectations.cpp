#include "expectations.h"
#include "headline.h"

#include <algorithm>
#include <fstream>
#include <tuple>
#include <sstream>

namespace xdplab {

namespace {

std::string line_col(const std::string &text, size_t byte)
{
	size_t line = 1, col = 1;
	for (size_t i = 0; i < byte && i < text.size(); ++i) {
		if (text[i] == '\n') {
			++line;
			col = 1;
		} else {
			++col;
		}
	}
	return std::to_string(line) + ":" + std::to_string(col);
}

struct Reader {
	const std::string &path;
	const Locator &locate;

	[[noreturn]] void fail(const std::string &where, const std::string &what) const
	{
		if (locate)
			throw ExpectationError(locate(where) + ": " + what + " (at " + (where.empty() ? "/" : where) + ")");
		throw ExpectationError(path + ": at " + (where.empty() ? "/" : where) + ": " + what);
	}

	const json &need(const json &obj, const std::string &key, const std::string &where,
			 json::value_t type) const
	{
		if (!obj.is_object() || !obj.contains(key))
			fail(where, "missing \"" + key + "\"");
		const json &v = obj.at(key);
		if (v.type() != type && !(type == json::value_t::number_integer && v.is_number_integer()))
			fail(where + "/" + key, std::string("expected ") + json(type).type_name() + ", found " +
							  v.type_name());
		return v;
	}

	std::string string_of(const json &obj, const std::string &key, const std::string &where) const
	{
		return need(obj, key, where, json::value_t::string).get<std::string>();
	}

	KernelVersion version_of(const json &v, const std::string &where) const
	{
		if (!v.is_string())
			fail(where, "kernel version must be a string like \"5.14\"");
		auto kv = parse_kernel_version(v.get<std::string>());
		if (!kv)
			fail(where, "not a kernel version: \"" + v.get<std::string>() + "\"");
		return *kv;
	}

	void check_keys(const json &obj, std::initializer_list<const char *> allowed, const std::string &where) const
	{
		for (auto it = obj.begin(); it != obj.end(); ++it) {
			bool ok = false;
			for (const char *a : allowed)
				ok = ok || it.key() == a;
			if (!ok)
				fail(where + "/" + it.key(), "unknown key");
		}
	}

	void check_matchers(const json &v, const std::string &where) const
	{
		if (v.is_object()) {
			for (auto it = v.begin(); it != v.end(); ++it) {
				if (it.key().rfind("$", 0) == 0 && it.key() != "$any" && it.key() != "$one_of" &&
				    it.key() != "$incidental")
					fail(where + "/" + it.key(), "unknown matcher");
				if (it.key() == "$one_of" && !it.value().is_array())
					fail(where + "/$one_of", "needs an array");
				check_matchers(it.value(), where + "/" + it.key());
			}
		} else if (v.is_string() && v.get<std::string>().rfind("$", 0) == 0 && v != "$packets") {
			fail(where, "unknown placeholder " + v.get<std::string>());
		}
	}

	// "text", or [{"when": {...}, "text": "..."}, ...]: the first rule that fits wins.
	Headline headline_of(const json &v, const std::string &where) const
	{
		Headline h;
		if (v.is_string()) {
			h.push_back({json::object(), v.get<std::string>()});
		} else if (v.is_array() && !v.empty()) {
			for (size_t i = 0; i < v.size(); ++i) {
				std::string w = where + "/" + std::to_string(i);
				check_keys(v[i], {"when", "text"}, w);
				HeadlineRule rule;
				rule.text = string_of(v[i], "text", w);
				if (v[i].contains("when")) {
					rule.when = need(v[i], "when", w, json::value_t::object);
					check_matchers(rule.when, w + "/when");
				}
				h.push_back(rule);
			}
		} else {
			fail(where, "a headline is a string or a non-empty array of {\"when\", \"text\"}");
		}
		for (size_t i = 0; i < h.size(); ++i) {
			try {
				headline_placeholders(h[i].text);
			} catch (const std::invalid_argument &e) {
				fail(v.is_string() ? where : where + "/" + std::to_string(i) + "/text", e.what());
			}
		}
		return h;
	}
};

} // namespace

const RangeExpectation *SubtestExpectation::for_kernel(const KernelVersion &v) const
{
	for (const auto &r : ranges)
		if (r.kernels.contains(v))
			return &r;
	return nullptr;
}

const Headline &ExpectationFile::headline_of(const std::string &subtest) const
{
	auto it = subtests.find(subtest);
	return it != subtests.end() && !it->second.headline.empty() ? it->second.headline : headline;
}

ExpectationFile parse_expectations(const std::string &text, const std::string &path)
{
	json doc;
	try {
		doc = json::parse(text);
	} catch (const json::parse_error &e) {
		std::string what = e.what();
		// nlohmann's message starts with "[json.exception.parse_error.101] parse error at line L, column C: "
		auto pos = what.find(": ");
		throw ExpectationError(path + ":" + line_col(text, e.byte ? e.byte - 1 : 0) +
				       ": JSON syntax error: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
	}
	return parse_expectations_doc(doc, path);
}

ExpectationFile parse_expectations_doc(const json &doc, const std::string &path, const Locator &locate)
{
	Reader rd{path, locate};
	if (!doc.is_object())
		rd.fail("", "top level must be an object");
	rd.check_keys(doc, {"id", "title", "seed", "claim", "requires", "headline", "subtests"}, "");

	ExpectationFile f;
	f.path = path;
	f.document = doc;
	f.id = rd.string_of(doc, "id", "");
	f.title = rd.string_of(doc, "title", "");
	if (doc.contains("seed")) // a user's own question may have none
		f.seed = rd.string_of(doc, "seed", "");
	f.claim = rd.string_of(doc, "claim", "");

	if (doc.contains("requires")) {
		const json &reqs = rd.need(doc, "requires", "", json::value_t::array);
		for (size_t i = 0; i < reqs.size(); ++i) {
			std::string where = "/requires/" + std::to_string(i);
			rd.check_keys(reqs[i], {"capability", "since", "basis"}, where);
			Requirement r;
			r.capability = rd.string_of(reqs[i], "capability", where);
			if (reqs[i].contains("since"))
				r.since = rd.version_of(reqs[i]["since"], where + "/since");
			r.basis = rd.string_of(reqs[i], "basis", where);
			f.requires_.push_back(r);
		}
	}

	if (doc.contains("headline"))
		f.headline = rd.headline_of(doc["headline"], "/headline");

	const json &subs = rd.need(doc, "subtests", "", json::value_t::object);
	if (subs.empty())
		rd.fail("/subtests", "no subtests");
	for (auto it = subs.begin(); it != subs.end(); ++it) {
		std::string where = "/subtests/" + it.key();
		rd.check_keys(it.value(), {"seed_claim", "headline", "expect"}, where);
		SubtestExpectation st;
		if (it.value().contains("headline"))
			st.headline = rd.headline_of(it.value()["headline"], where + "/headline");
		if (it.value().contains("seed_claim")) {
			const json &c = rd.need(it.value(), "seed_claim", where, json::value_t::object);
			rd.check_keys(c, {"text", "observed_on", "observations"}, where + "/seed_claim");
			SeedClaim claim;
			claim.text = rd.string_of(c, "text", where + "/seed_claim");
			claim.observed_on = rd.string_of(c, "observed_on", where + "/seed_claim");
			claim.observations = rd.need(c, "observations", where + "/seed_claim", json::value_t::object);
			rd.check_matchers(claim.observations, where + "/seed_claim/observations");
			st.seed_claim = claim;
		}
		const json &ex = rd.need(it.value(), "expect", where, json::value_t::array);
		for (size_t i = 0; i < ex.size(); ++i) {
			std::string w = where + "/expect/" + std::to_string(i);
			rd.check_keys(ex[i], {"kernels", "observations", "basis"}, w);
			RangeExpectation r;
			const json &k = rd.need(ex[i], "kernels", w, json::value_t::object);
			rd.check_keys(k, {"from", "until", "from_commit", "until_commit"}, w + "/kernels");
			if (k.contains("from"))
				r.kernels.from = rd.version_of(k["from"], w + "/kernels/from");
			if (k.contains("until"))
				r.kernels.until = rd.version_of(k["until"], w + "/kernels/until");
			for (auto [key, bound, commit] : {std::tuple{"from_commit", "from", &r.from_commit},
							 std::tuple{"until_commit", "until", &r.until_commit}}) {
				if (!k.contains(key))
					continue;
				*commit = rd.string_of(k, key, w + "/kernels");
				if (!is_commit_id(*commit))
					rd.fail(w + "/kernels/" + key, "\"" + *commit + "\" is not a commit id (12 to 40 hex digits)");
				if (!k.contains(bound))
					rd.fail(w + "/kernels/" + key, std::string("names the commit of an edge there is not: no \"") +
										bound + "\"");
			}
			r.observations = rd.need(ex[i], "observations", w, json::value_t::object);
			rd.check_matchers(r.observations, w + "/observations");
			r.basis = rd.string_of(ex[i], "basis", w);
			if (r.basis.empty())
				rd.fail(w + "/basis", "every expectation needs a basis");
			st.ranges.push_back(r);
		}
		f.subtests[it.key()] = st;
	}
	return f;
}

bool is_commit_id(const std::string &s)
{
	return s.size() >= 12 && s.size() <= 40 &&
	       std::all_of(s.begin(), s.end(), [](char c) { return isdigit(c) || (c >= 'a' && c <= 'f'); });
}

ExpectationFile load_expectations(const std::string &path)
{
	std::ifstream in(path);
	if (!in)
		throw ExpectationError(path + ": cannot read expectation file");
	std::stringstream ss;
	ss << in.rdbuf();
	return parse_expectations(ss.str(), path);
}

} // namespace xdplab
