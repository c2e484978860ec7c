// Which Debian mirror the host's own packages come from, and the sources
// list of the harness's private apt: every suite with a kernel worth having.
#pragma once
#include <string>

namespace xdplab {

struct DebianMirrors {
	std::string archive;  // serves bookworm, trixie, sid, ...
	std::string security; // serves <release>-security; "" if none is configured
};

// The first URI of the stanza whose suites are plain releases (archive) and of
// the one whose suites end in -security (security), from a deb822 .sources file.
DebianMirrors mirrors_from_deb822(const std::string &text);

// The same from a one-line sources.list.
DebianMirrors mirrors_from_sources_list(const std::string &text);

// The host's: /etc/apt/sources.list.d/debian.sources, else /etc/apt/sources.list.
// Throws when neither names a Debian mirror.
DebianMirrors system_debian_mirrors();

// One "deb [signed-by=...] URI SUITE main" line per suite with a kernel worth
// having: every release since bullseye with its security and backports suites,
// sid and experimental.
std::string private_sources_list(const DebianMirrors &m);

} // namespace xdplab
