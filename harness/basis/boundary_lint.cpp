#include "boundary_lint.h"
#include "../vm/changelog.h"

#include <set>

namespace xdplab {

namespace {

std::string series_of(const KernelVersion &v)
{
	return std::to_string(v.major) + "." + std::to_string(v.minor);
}

// Where commit c arrives in series s: a release, or "" with why not.
struct Arrival {
	std::string release, why;
	const SeriesBasis *from_changelog = nullptr;
	std::string earliest; // Debian grouped links: the commit is in [earliest, release]
};

Arrival arrival(const KnownCommit &c, const std::string &series, const Basis &basis)
{
	if (upstream_version_compare(series, c.mainline) >= 0)
		return {series, "", nullptr, series};
	if (const CommitBasis *cb = basis.of(c.id))
		if (const SeriesBasis *s = cb->in(series); s && (s->status == "listed" || s->status == "recorded")) {
			if (!s->reverted_in.empty())
				return {"", "the Debian changelog lists it at " + s->release + " and its revert in " +
						    s->reverted_in, s, ""};
			return {s->release, "", s, s->release_earliest.empty() ? s->release : s->release_earliest};
		}
	if (auto it = c.stable.find(series); it != c.stable.end())
		return {it->second.release, "", nullptr, it->second.release};
	bool read = basis.series(series) != nullptr;
	return {"", read ? "the Debian changelog of " + basis.series(series)->version + " does not list it" +
				   " and no stable backport to " + series + ".y is recorded"
			 : "no stable backport to " + series + ".y is recorded"};
}

std::string said(const Arrival &a)
{
	if (!a.from_changelog)
		return "";
	return " (" + a.from_changelog->evidence + ")";
}

} // namespace

std::vector<LintFinding> lint_boundaries(const ExpectationFile &f, const CommitRegistry &registry, const Basis &basis)
{
	std::vector<LintFinding> out;
	auto report = [&](bool error, const std::string &where, const std::string &what) {
		out.push_back({error, f.path + ": at " + where + ": " + what});
	};
	std::set<std::string> served;
	for (const auto &r : basis.read)
		served.insert(r.series);

	for (const auto &[name, st] : f.subtests)
		for (size_t i = 0; i < st.ranges.size(); ++i) {
			const RangeExpectation &r = st.ranges[i];
			std::string where = "/subtests/" + name + "/expect/" + std::to_string(i);
			for (const auto &id : commit_ids_in(r.basis))
				if (!registry.find(id))
					report(false, where + "/basis", "cites " + id + ", which " + registry.path +
										 " does not list (subject and release unknown)");
			for (auto [edge, commit, key] : {std::tuple{r.kernels.from, r.from_commit, "from"},
							 std::tuple{r.kernels.until, r.until_commit, "until"}}) {
				if (!edge)
					continue;
				std::string at = where + "/kernels/" + key;
				std::string s = series_of(*edge);
				if (commit.empty()) {
					if (edge->patch > 0 && served.count(s))
						report(false, at, edge->str() + " is inside the " + s +
									  " series, which the archive serves, but names no commit (" +
									  key + "_commit)");
					continue;
				}
				const KnownCommit *c = registry.find(commit);
				if (!c) {
					report(true, at + "_commit", commit + " is not in " + registry.path);
					continue;
				}
				if (edge->patch == 0) {
					if (s != c->mainline)
						report(true, at, edge->str() + " rests on " + commit + ", which is first in mainline " +
									 c->mainline);
					continue;
				}
				Arrival a = arrival(*c, s, basis);
				if (a.release.empty())
					report(true, at, edge->str() + " rests on " + commit + ", but " + a.why);
				else if (a.release == s)
					report(true, at, edge->str() + " rests on " + commit + ", which the whole " + s +
								 " series carries (mainline " + c->mainline + ")");
				else if (upstream_version_compare(a.release, edge->str()) != 0) {
					// Debian listed the commit under the last of several links: any of them may be right.
					bool grouped = upstream_version_compare(a.earliest, edge->str()) <= 0 &&
						       upstream_version_compare(edge->str(), a.release) < 0;
					report(!grouped, at, edge->str() + " rests on " + commit + ", which arrives in " + s +
								     ".y at " + (grouped ? a.earliest + " to " : "") +
								     a.release + said(a));
				}
			}

			// A range on one side of a commit must not reach over that commit's
			// arrival in another series.
			for (auto [commit, before] : {std::pair{r.from_commit, false}, std::pair{r.until_commit, true}}) {
				const KnownCommit *c = commit.empty() ? nullptr : registry.find(commit);
				if (!c)
					continue;
				std::set<std::string> series = served;
				for (const auto &[s, _] : c->stable)
					series.insert(s);
				for (const auto &s : series) {
					Arrival a = arrival(*c, s, basis);
					if (a.release.empty() || a.release == s)
						continue;
					auto at = parse_kernel_version(a.release);
					auto start = parse_kernel_version(s);
					if (!at || !start)
						continue;
					// until C: the range expects kernels without C, so it must not hold a.release;
					// from C: it expects kernels with C, so it must not hold s.0 .. a.release - 1.
					bool wrong = before ? r.kernels.contains(*at) && !(r.kernels.from && *r.kernels.from == *at)
							    : r.kernels.contains(*start) && *start < *at;
					if (wrong)
						report(true, where + "/kernels",
						       r.kernels.str() + (before ? " expects kernels without " : " expects kernels with ") +
							       commit + ", but " + s + ".y carries it from " + a.release + said(a));
				}
			}
		}
	return out;
}

} // namespace xdplab
