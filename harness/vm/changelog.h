// What upstream kernel releases lie between two Debian kernel builds, read
// from the Debian changelog that ships in the newer build's packages.
#pragma once
#include <string>
#include <vector>

namespace xdplab {

struct ChangelogEntry {
	std::string source;       // linux, linux-signed-amd64
	std::string version;      // Debian version: 6.1.170-3
	std::string distribution; // bookworm-security
	// Upstream releases the entry brings in, as it names them: "6.1.171" from a
	// kernel.org ChangeLog link or a bare version line, "6.1" from "New upstream
	// release: .../Linux_6.1", "6.1-rc8" for "New upstream release candidate".
	std::vector<std::string> upstream_releases;
};

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
