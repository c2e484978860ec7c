// Debian's control data as apt reads it, through libapt-pkg: deb822 stanzas
// (sources files, apt-cache show), Depends fields and the order of versions.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace xdplab {

// A package, optionally at one version ("" for whatever apt's candidate is).
struct PackageRef {
	std::string name;
	std::string version;
};

// The named fields of each stanza ("" where a stanza lacks one; names match
// whatever their case, continuation lines folded).
using Deb822Stanza = std::map<std::string, std::string>;
std::vector<Deb822Stanza> deb822_stanzas(const std::string &text, const std::vector<std::string> &fields);

// "a (= 1), b | c (>= 2)" -> a=1, b, c: every alternative, an exact version
// kept. Throws on a field apt cannot parse.
std::vector<PackageRef> parse_depends(const std::string &text);

// dpkg's order of versions (epoch, upstream, revision; "~" before anything): <0, 0, >0.
int debian_version_compare(const std::string &a, const std::string &b);

// "6.12.43-1~bpo12+1" -> "6.12.43", "1:7.3~rc7-1~exp1" -> "7.3~rc7".
std::string upstream_version(const std::string &debian_version);

} // namespace xdplab
