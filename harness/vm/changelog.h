// What upstream kernel releases lie between two Debian kernel builds, read
// from the Debian changelog that ships in the newer build's packages.
#pragma once
#include <string>
#include <vector>

namespace xdplab {

// One item of an entry: an upstream commit listed by subject under a
// kernel.org ChangeLog link ("    - bpf: devmap: provide rxq after redirect"),
// or a change of Debian's own ("  * bpf: ..."), continuation lines joined.
struct ChangelogItem {
	// The stable release whose ChangeLog link the item sits under; "" for
	// Debian's own items. Debian sometimes lists two links with nothing under
	// the first (its items are not listed): then `release` is the last link of
	// that run and `earliest` the first, and the commit is in one of them.
	std::string release, earliest;
	std::string text;
};

struct ChangelogEntry {
	std::string source;       // linux, linux-signed-amd64
	std::string version;      // Debian version: 6.1.170-3
	std::string distribution; // bookworm-security
	// Upstream releases the entry brings in, as it names them: "6.1.171" from a
	// kernel.org ChangeLog link or a bare version line, "6.1" from "New upstream
	// release: .../Linux_6.1", "6.1-rc8" for "New upstream release candidate".
	std::vector<std::string> upstream_releases;
	std::vector<ChangelogItem> items;
};

// The item's text without what Debian adds around a subject: a leading
// "[x86] " architecture tag and trailing "(CVE-...)" / "(Closes: ...)".
std::string item_subject(const std::string &text);

// dpkg's order of upstream versions, where 7.3-rc7 and 7.3~rc7 sort before 7.3.
int upstream_version_compare(const std::string &a, const std::string &b);

// Entries newest first, as the file has them.
std::vector<ChangelogEntry> parse_debian_changelog(const std::string &text);

// Upstream releases newer than `older` and up to `newer` (upstream versions:
// 5.10.262, 6.1.170, 7.3-rc7 or 7.3~rc7), oldest first, each once. Bounded by
// upstream version rather than by entry, because a backport's entry
// (6.1.172-1~deb11u1) only says "rebuild" and the releases sit in the entry of
// the version it rebuilds (6.1.172-1), which sorts after it.
std::vector<std::string> upstream_releases_between(const std::vector<ChangelogEntry> &entries,
						   const std::string &older, const std::string &newer);

// Debian versions of the entries after `older` up to `newer` (Debian versions),
// oldest first: what changed when the upstream version did not.
std::vector<std::string> debian_versions_between(const std::vector<ChangelogEntry> &entries,
						 const std::string &older, const std::string &newer);

// The changelog of a build unpacked under root: the image package's own doc
// directory first, then those of the other packages of the build (from 7.x the
// image's is a link to linux-base-'s, which may be all that is there).
// changelog.Debian.gz or changelog.gz; "" when there is none.
std::string find_build_changelog(const std::string &root, const std::string &package);

// The decompressed text of a .gz changelog (or the file itself if plain).
std::string read_changelog(const std::string &path);

} // namespace xdplab
