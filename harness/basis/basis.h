// Where a cited commit is, per Debian kernel series: the first upstream
// release and the first Debian upload of each series that carry it, read from
// the newest build's changelog (which lists upstream stable commits by
// subject), and the builds the archive serves on either side of it. Pure: the
// changelogs and the list of served builds come in, a table and JSON go out.
#pragma once
#include "../vm/changelog.h"
#include "commit_registry.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

// The newest build of a series and its changelog.
struct SeriesChangelog {
	std::string series;          // "6.1"
	std::string package, version; // the build whose changelog was read
	std::vector<ChangelogEntry> entries;
};

// A build the archive serves: upstream and Debian version.
struct ServedBuild {
	std::string package, version, upstream;
	bool bootable = true; // false when parts of the build (modules) are gone from the archive
};

struct SeriesBasis {
	std::string series;
	// listed: the changelog lists the subject; recorded: the changelog does not
	// (Debian lists only some commits in some entries) but a stable backport is
	// recorded in the registry; mainline: the series starts after the commit;
	// absent: neither (not in this series, as far as its changelog says).
	std::string status;
	std::string release;        // first upstream release carrying it (6.1.115), "" if absent
	std::string release_earliest; // != release when Debian grouped links (see ChangelogItem)
	std::string debian_version; // first Debian upload carrying it
	std::string first_served;   // first build the archive serves with it (Debian version)
	std::string last_served_without; // last served build without it
	std::string reverted_in;    // a later upload listing 'Revert "<subject>"'
	std::string evidence;
};

struct CommitBasis {
	KnownCommit commit;
	std::vector<std::string> cited_in; // experiment ids
	std::vector<SeriesBasis> series;
	const SeriesBasis *in(const std::string &series) const;
};

struct Basis {
	std::vector<SeriesChangelog> read; // which builds' changelogs
	std::vector<CommitBasis> commits;
	const CommitBasis *of(const std::string &id) const;
	const SeriesChangelog *series(const std::string &s) const;
};

// series: the changelog of each served series; served: every build by series.
Basis compute_basis(const CommitRegistry &registry, const std::map<std::string, std::vector<std::string>> &cited_in,
		    const std::vector<SeriesChangelog> &series,
		    const std::map<std::string, std::vector<ServedBuild>> &served);

json basis_to_json(const Basis &b);
// What lint needs back from the cache: series read, and per commit and series
// status, release and builds.
Basis basis_from_json(const json &doc, const CommitRegistry &registry);
void print_basis_table(std::ostream &out, const Basis &b);


} // namespace xdplab
