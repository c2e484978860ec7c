#include "lint.h"
#include "headline.h"

namespace xdplab {

namespace {

// A JSON pointer token (RFC 6901): "~" and "/" escaped.
std::string token(const std::string &key)
{
	std::string out;
	for (char c : key) {
		if (c == '~')
			out += "~0";
		else if (c == '/')
			out += "~1";
		else
			out += c;
	}
	return out;
}

// The kernels two ranges share, if any. An absent bound is open.
std::optional<VersionRange> overlap(const VersionRange &a, const VersionRange &b)
{
	VersionRange r;
	r.from = !a.from ? b.from : !b.from ? a.from : std::max(*a.from, *b.from);
	r.until = !a.until ? b.until : !b.until ? a.until : std::min(*a.until, *b.until);
	if (r.from && r.until && !(*r.from < *r.until))
		return std::nullopt;
	return r;
}

std::string joined(const std::set<std::string> &names)
{
	std::string out;
	for (const auto &n : names)
		out += (out.empty() ? "" : ", ") + n;
	return out.empty() ? "nothing" : out;
}

} // namespace

std::vector<std::string> lint_expectations(const ExpectationFile &f,
					   const std::map<std::string, std::set<std::string>> &measured)
{
	std::vector<std::string> problems;
	auto problem = [&](const std::string &where, const std::string &what) {
		problems.push_back(f.path + ": at " + where + ": " + what);
	};

	std::set<std::string> subtests;
	for (const auto &[name, _] : measured)
		subtests.insert(name);
	for (const auto &name : subtests)
		if (!f.subtests.count(name))
			problem("/subtests", "no expectations for subtest \"" + name + "\", which the experiment measures");

	for (const auto &[name, st] : f.subtests) {
		std::string where = "/subtests/" + token(name);
		auto m = measured.find(name);
		if (m == measured.end()) {
			problem(where, "the experiment has no subtest \"" + name + "\" (it has: " + joined(subtests) +
					       ")");
			continue;
		}
		const std::set<std::string> &names = m->second;
		auto unmeasured = [&](const json &observations, const std::string &at) {
			for (auto it = observations.begin(); it != observations.end(); ++it)
				if (!names.count(it.key()))
					problem(at + "/" + token(it.key()), "\"" + it.key() +
										    "\" is not measured for " + name +
										    " (measured: " + joined(names) + ")");
		};

		if (st.seed_claim)
			unmeasured(st.seed_claim->observations, where + "/seed_claim/observations");

		// The headline the report shows for this subtest: its own or the file's.
		const Headline &headline = f.headline_of(name);
		std::string at_headline = !st.headline.empty() ? where + "/headline" : "/headline";
		for (size_t i = 0; i < headline.size(); ++i) {
			std::string at = at_headline + "/" + std::to_string(i);
			unmeasured(headline[i].when, at + "/when");
			for (const auto &p : headline_placeholders(headline[i].text))
				if (!names.count(placeholder_observation(p)))
					problem(at + "/text", "{" + p + "} reads \"" + placeholder_observation(p) +
								      "\", which is not measured for " + name +
								      " (measured: " + joined(names) + ")");
		}

		std::set<std::string> expected;
		for (size_t i = 0; i < st.ranges.size(); ++i) {
			const RangeExpectation &r = st.ranges[i];
			std::string at = where + "/expect/" + std::to_string(i);
			unmeasured(r.observations, at + "/observations");
			for (auto it = r.observations.begin(); it != r.observations.end(); ++it)
				expected.insert(it.key());
			for (size_t j = i + 1; j < st.ranges.size(); ++j)
				if (auto both = overlap(r.kernels, st.ranges[j].kernels))
					problem(at, "kernels " + r.kernels.str() + " overlap " + where + "/expect/" +
							    std::to_string(j) + " (kernels " + st.ranges[j].kernels.str() +
							    ") on " + both->str() + "; there the first listed wins");
		}

		for (const auto &n : names)
			if (!expected.count(n))
				problem(where + "/expect", "\"" + n + "\" is measured but never expected");
	}
	return problems;
}

} // namespace xdplab
