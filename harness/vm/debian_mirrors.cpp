#include "debian_mirrors.h"

#include "../file_text.h"
#include "debian_control.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

const char *const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

std::vector<std::string> words(const std::string &s)
{
	std::vector<std::string> out;
	std::istringstream in(s);
	for (std::string w; in >> w;)
		out.push_back(w);
	return out;
}

bool has_word(const std::string &s, const std::string &w)
{
	auto ws = words(s);
	return std::find(ws.begin(), ws.end(), w) != ws.end();
}

// Third-party repositories often share the host's sources (Docker's names
// "bookworm" too); a Debian mirror serves a Debian suite with "main".
bool debian_suite(const std::string &suite)
{
	static const std::set<std::string> names = {"buster",	 "bullseye",  "bookworm", "trixie",   "forky",
						    "duke",	 "sid",	      "stable",	  "oldstable", "testing",
						    "unstable", "experimental"};
	return names.count(suite.substr(0, suite.find('-'))) > 0;
}

void take_mirror(DebianMirrors &m, const std::string &uri, const std::string &suite)
{
	if (!debian_suite(suite) || uri.starts_with("cdrom:"))
		return;
	std::string &slot = suite.ends_with("-security") ? m.security : m.archive;
	if (slot.empty())
		slot = uri;
}

} // namespace

DebianMirrors mirrors_from_deb822(const std::string &text)
{
	DebianMirrors m;
	for (auto &s : deb822_stanzas(text, {"Types", "Enabled", "Components", "URIs", "Suites"})) {
		std::string enabled = s["Enabled"];
		std::transform(enabled.begin(), enabled.end(), enabled.begin(), [](unsigned char c) { return std::tolower(c); });
		if (!has_word(s["Types"], "deb") || enabled == "no" || !has_word(s["Components"], "main"))
			continue;
		auto uris = words(s["URIs"]);
		if (uris.empty())
			continue;
		for (const auto &suite : words(s["Suites"]))
			take_mirror(m, uris[0], suite);
	}
	return m;
}

DebianMirrors mirrors_from_sources_list(const std::string &text)
{
	DebianMirrors m;
	for (std::string line : trimmed_lines(text)) {
		line = line.substr(0, line.find('#'));
		// Options in brackets may hold spaces: "[ arch=amd64 signed-by=... ]".
		if (size_t open = line.find('['); open != std::string::npos)
			line.erase(open, line.find(']', open) - open + 1);
		auto w = words(line);
		if (w.size() < 4 || w[0] != "deb" || std::find(w.begin() + 3, w.end(), "main") == w.end())
			continue;
		take_mirror(m, w[1], w[2]);
	}
	return m;
}

DebianMirrors system_debian_mirrors()
{
	const fs::path deb822 = "/etc/apt/sources.list.d/debian.sources", oneline = "/etc/apt/sources.list";
	DebianMirrors m = mirrors_from_deb822(read_file(deb822));
	if (m.archive.empty() || m.security.empty()) {
		DebianMirrors old = mirrors_from_sources_list(read_file(oneline));
		if (m.archive.empty())
			m.archive = old.archive;
		if (m.security.empty())
			m.security = old.security;
	}
	if (m.archive.empty())
		throw std::runtime_error("no Debian mirror in " + deb822.string() + " or " + oneline.string() +
					 ": kernels are fetched from the mirror the host's own packages come from");
	return m;
}

std::string private_sources_list(const DebianMirrors &m)
{
	// Where each kernel line lives: 5.10 (bullseye and its LTS security suite),
	// 6.1 (bookworm), 6.12 (bookworm-backports, trixie), newer ones in
	// trixie-backports, sid and experimental (release candidates).
	static const std::vector<std::pair<const char *, bool>> suites = {
		{"bullseye", false},	       {"bullseye-security", true}, {"bookworm", false},
		{"bookworm-security", true},   {"bookworm-backports", false}, {"trixie", false},
		{"trixie-security", true},     {"trixie-backports", false}, {"sid", false},
		{"experimental", false},
	};
	std::ostringstream s;
	for (const auto &[suite, security] : suites) {
		const std::string &uri = security ? m.security : m.archive;
		if (!uri.empty())
			s << "deb [signed-by=" << keyring << "] " << uri << " " << suite << " main\n";
	}
	return s.str();
}

} // namespace xdplab
