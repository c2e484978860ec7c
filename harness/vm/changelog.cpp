#include "changelog.h"
#include "../file_text.h"

#include "../../netns/command.h"
#include "kernel_images.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// "7.3-rc7" and "7.3~rc7" both in dpkg's order, where ~rc sorts before 7.3.
std::string comparable(std::string upstream)
{
	auto rc = upstream.find("-rc");
	if (rc != std::string::npos)
		upstream[rc] = '~';
	return upstream;
}


void add_release(ChangelogEntry &e, const std::string &release)
{
	if (std::find(e.upstream_releases.begin(), e.upstream_releases.end(), release) == e.upstream_releases.end())
		e.upstream_releases.push_back(release);
}

// "    - subject" under a ChangeLog link, or "  * change" of Debian's own.
bool starts_item(const std::string &line, size_t indent, char mark)
{
	return line.size() > indent + 2 && line.compare(0, indent, std::string(indent, ' ')) == 0 &&
	       line[indent] == mark && line[indent + 1] == ' ';
}

} // namespace

int upstream_version_compare(const std::string &a, const std::string &b)
{
	return debian_version_compare(comparable(a), comparable(b));
}

std::string item_subject(const std::string &text)
{
	std::string s = text;
	if (s.starts_with("[")) {
		auto close = s.find("] ");
		if (close != std::string::npos)
			s = s.substr(close + 2);
	}
	for (;;) {
		while (!s.empty() && s.back() == ' ')
			s.pop_back();
		if (s.empty() || s.back() != ')')
			break;
		auto open = s.rfind(" (");
		if (open == std::string::npos)
			break;
		std::string inside = s.substr(open + 2);
		if (!inside.starts_with("CVE-") && !inside.starts_with("Closes:"))
			break;
		s.erase(open);
	}
	return s;
}

std::vector<ChangelogEntry> parse_debian_changelog(const std::string &text)
{
	static const std::regex header(R"(^(\S+) \(([^)\s]+)\) ([^;]+);.*)");
	static const std::regex stable_link(R"(ChangeLog-([0-9]+\.[0-9]+(\.[0-9]+)?))");
	static const std::regex mainline(R"(New upstream release:.*Linux_([0-9]+\.[0-9]+))");
	static const std::regex bare_version(R"(^\s+v?([0-9]+\.[0-9]+\.[0-9]+)\s*$)");
	std::vector<ChangelogEntry> out;
	std::istringstream in(text);
	std::string line;
	// Where the items of the current entry go: the last ChangeLog link seen,
	// the first of the run of links it ends, and the item being continued.
	std::string link, run_start;
	bool link_has_items = false;
	long open_item = -1; // index in the entry's items
	while (std::getline(in, line)) {
		std::smatch m;
		// Cheap tests before each regex: a changelog of every release since 2.6 has 100,000s of lines.
		if (!line.empty() && line[0] != ' ' && std::regex_match(line, m, header)) {
			out.push_back({m[1], m[2], m[3], {}, {}});
			link.clear();
			run_start.clear();
			open_item = -1;
			continue;
		}
		if (out.empty())
			continue;
		ChangelogEntry &e = out.back();
		bool upstream_item = line.find("New upstream release") != std::string::npos;
		if (upstream_item && std::regex_search(line, m, mainline))
			add_release(e, m[1]);
		else if (upstream_item && line.find("New upstream release candidate") != std::string::npos)
			add_release(e, [&] {
				std::string u = upstream_version(e.version);
				auto rc = u.find("~rc");
				return rc == std::string::npos ? u : u.replace(rc, 1, "-");
			}());
		// A stable release the entry brings in: a kernel.org ChangeLog link, or
		// (older entries) the bare version on a line of its own.
		std::vector<std::string> links;
		if (line.find("ChangeLog-") != std::string::npos)
			for (auto it = std::sregex_iterator(line.begin(), line.end(), stable_link);
			     it != std::sregex_iterator(); ++it)
				links.push_back((*it)[1]);
		auto first = line.find_first_not_of(' ');
		if (links.empty() && first != std::string::npos && first > 0 &&
		    (isdigit(line[first]) || line[first] == 'v') && std::regex_match(line, m, bare_version))
			links.push_back(m[1]);
		if (!links.empty()) {
			for (const auto &release : links) {
				add_release(e, release);
				if (link.empty() || link_has_items)
					run_start = release;
				link = release;
				link_has_items = false;
			}
			open_item = -1;
			continue;
		}
		if (starts_item(line, 4, '-')) {
			// Under a link: an upstream commit of that release; else a commit
			// Debian lists under an item of its own ("  * Backport fixes:").
			e.items.push_back({link, link.empty() ? "" : run_start, line.substr(6)});
			link_has_items = link_has_items || !link.empty();
			open_item = static_cast<long>(e.items.size()) - 1;
			continue;
		}
		if (starts_item(line, 2, '*')) {
			link.clear(); // a new top-level item ends the list of upstream commits
			e.items.push_back({"", "", line.substr(4)});
			open_item = static_cast<long>(e.items.size()) - 1;
			continue;
		}
		if (open_item >= 0 && first != std::string::npos &&
		    first >= (e.items[open_item].release.empty() ? 4u : 6u)) {
			e.items[open_item].text += " " + line.substr(first);
			continue;
		}
		open_item = -1;
	}
	return out;
}

std::vector<std::string> upstream_releases_between(const std::vector<ChangelogEntry> &entries,
						   const std::string &older, const std::string &newer)
{
	std::vector<std::string> out;
	for (const auto &e : entries)
		for (const auto &r : e.upstream_releases)
			if (upstream_version_compare(r, older) > 0 && upstream_version_compare(r, newer) <= 0 &&
			    std::find(out.begin(), out.end(), r) == out.end())
				out.push_back(r);
	std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return upstream_version_compare(a, b) < 0; });
	return out;
}

std::vector<std::string> debian_versions_between(const std::vector<ChangelogEntry> &entries,
						 const std::string &older, const std::string &newer)
{
	std::vector<std::string> out;
	for (const auto &e : entries)
		if (debian_version_compare(e.version, older) > 0 && debian_version_compare(e.version, newer) <= 0 &&
		    std::find(out.begin(), out.end(), e.version) == out.end())
			out.push_back(e.version);
	std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return debian_version_compare(a, b) < 0; });
	return out;
}

std::string find_build_changelog(const std::string &root, const std::string &package)
{
	fs::path doc = fs::path(root) / "usr/share/doc";
	std::vector<fs::path> dirs = {doc / package};
	std::error_code ec;
	std::vector<fs::path> others;
	for (const auto &e : fs::directory_iterator(doc, ec))
		if (e.path().filename() != package && e.path().filename().string().starts_with("linux-"))
			others.push_back(e.path());
	std::sort(others.begin(), others.end());
	dirs.insert(dirs.end(), others.begin(), others.end());
	for (const auto &d : dirs)
		for (const char *name : {"changelog.Debian.gz", "changelog.gz", "changelog.Debian", "changelog"})
			if (fs::is_regular_file(d / name, ec)) // follows the doc directory's link, if any
				return (d / name).string();
	return "";
}

std::string read_changelog(const std::string &path)
{
	if (path.ends_with(".gz"))
		return run_checked({"gzip", "-dc", path}).output;
	return read_file(path);
}

} // namespace xdplab
