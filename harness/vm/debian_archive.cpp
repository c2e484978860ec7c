#include "debian_archive.h"

#include "../../netns/command.h"
#include "../file_text.h"
#include "debian_control.h"
#include "debian_mirrors.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// Replaces the file only when the text differs; returns whether it did.
bool write_if_changed(const fs::path &p, const std::string &text)
{
	if (fs::exists(p) && read_file(p) == text)
		return false;
	fs::path tmp = p.string() + ".tmp";
	{
		std::ofstream out(tmp);
		out << text;
		if (!out)
			throw std::runtime_error("cannot write " + tmp.string());
	}
	fs::rename(tmp, p);
	return true;
}

std::string private_apt_conf(const std::string &dir)
{
	std::ostringstream s;
	s << "// apt for xdplab's kernel packages: own sources, lists, caches and dpkg status.\n"
	  << "Dir::State \"" << dir << "/state\";\n"
	  << "Dir::State::Lists \"" << dir << "/lists\";\n"
	  << "Dir::State::status \"" << dir << "/status\";\n"
	  << "Dir::Cache \"" << dir << "/cache\";\n"
	  // A container's apt.conf.d may switch the binary cache off: every lookup would then
	  // parse ten suites again (2 s instead of 0.2 s). The source cache only speeds up
	  // rebuilds after dpkg runs, which never happen here, and is as big (over 100 MB).
	  << "Dir::Cache::pkgcache \"pkgcache.bin\";\n"
	  << "Dir::Cache::srcpkgcache \"\";\n"
	  << "Dir::Etc::sourcelist \"" << dir << "/sources.list\";\n"
	  << "Dir::Etc::sourceparts \"" << dir << "/sources.list.d\";\n"
	  << "Dir::Etc::preferences \"" << dir << "/preferences\";\n"
	  << "Dir::Etc::preferencesparts \"" << dir << "/preferences.d\";\n"
	  // The guests are amd64 whatever the host's dpkg architectures are.
	  << "APT::Architecture \"amd64\";\n"
	  << "APT::Architectures { \"amd64\"; };\n"
	  // Should a path above ever resolve to the host's lists, never delete any of them.
	  << "APT::Get::List-Cleanup \"false\";\n"
	  // The host's update hooks (PackageKit, AppStream) are about the host's lists.
	  << "#clear APT::Update::Pre-Invoke;\n"
	  << "#clear APT::Update::Post-Invoke;\n"
	  << "#clear APT::Update::Post-Invoke-Success;\n";
	return s.str();
}

bool has_package_lists(const fs::path &lists)
{
	for (const auto &e : sorted_entries(lists))
		if (e.filename().string().find("_Packages") != std::string::npos)
			return true;
	return false;
}

} // namespace

DebianArchive::DebianArchive(const std::string &cache_dir) : dir_((fs::absolute(cache_dir) / "apt").string())
{
	fs::path d = dir_;
	for (const char *sub : {"lists/partial", "state", "cache", "sources.list.d", "preferences.d"})
		fs::create_directories(d / sub);
	if (!fs::exists(d / "status"))
		std::ofstream(d / "status").flush();
	write_if_changed(d / "apt.conf", private_apt_conf(dir_));
	// Lists fetched from other mirrors or for other suites are not these sources' lists.
	if (write_if_changed(d / "sources.list", private_sources_list(system_debian_mirrors())))
		fs::remove(d / "updated");
}

std::vector<std::string> DebianArchive::apt(const std::string &tool) const
{
	return {tool, "-c", dir_ + "/apt.conf"};
}

void DebianArchive::update()
{
	auto argv = apt("apt-get");
	argv.insert(argv.end(), {"-q", "update"});
	CommandResult r = run_command(argv);
	fs::path d = dir_;
	write_if_changed(d / "update.log", r.output + "\n");
	// Exit 100 also when one suite is missing on the mirror (bullseye-security
	// once bullseye leaves LTS) or the network is down: the other lists, or the
	// previous ones, still serve.
	if (r.exit_code != 0 && !has_package_lists(d / "lists"))
		throw CommandError(shell_join(argv), r);
	std::ofstream(d / "updated").flush();
	fs::last_write_time(d / "updated", fs::file_time_type::clock::now());
}

bool DebianArchive::stale(std::chrono::hours max_age) const
{
	fs::path stamp = fs::path(dir_) / "updated";
	std::error_code ec;
	auto t = fs::last_write_time(stamp, ec);
	return ec || fs::file_time_type::clock::now() - t > max_age || !has_package_lists(fs::path(dir_) / "lists");
}

bool DebianArchive::refresh()
{
	if (!stale())
		return false;
	update();
	return true;
}

std::vector<std::string> DebianArchive::search(const std::string &name_regex) const
{
	auto argv = apt("apt-cache");
	argv.insert(argv.end(), {"search", "--names-only", name_regex});
	std::vector<std::string> names;
	// "name - description"; apt's W:/E: notes share the stream and have no " - ".
	for (const auto &l : trimmed_lines(run_command(argv).output))
		if (size_t sep = l.find(" - "); sep != std::string::npos && l.find(' ') == sep)
			names.push_back(l.substr(0, sep));
	return names;
}

std::vector<DebianArchive::Stanza> DebianArchive::show(const std::vector<std::string> &names) const
{
	if (names.empty())
		return {};
	auto argv = apt("apt-cache");
	argv.push_back("show");
	argv.insert(argv.end(), names.begin(), names.end());
	std::vector<Stanza> out;
	for (auto &s : deb822_stanzas(run_command(argv).output, {"Package", "Version", "Depends"}))
		if (!s["Package"].empty() && !s["Version"].empty())
			out.push_back({s["Package"], s["Version"], parse_depends(s["Depends"])});
	return out;
}

std::vector<DebianArchive::Offer> DebianArchive::suites_of(const std::vector<std::string> &names) const
{
	if (names.empty())
		return {};
	auto argv = apt("apt-cache");
	argv.push_back("madison");
	argv.insert(argv.end(), names.begin(), names.end());
	// "pkg | 6.1.192-2 | http://mirror/debian-security bookworm-security/main amd64 Packages"
	static const std::regex row(R"(^(\S+)\s*\|\s*(\S+)\s*\|\s*\S+\s+([^/\s]+)/\S+\s+\S+\s+Packages$)");
	std::vector<Offer> out;
	for (const auto &l : trimmed_lines(run_command(argv).output)) {
		std::smatch m;
		if (std::regex_match(l, m, row))
			out.push_back({m[1], m[2], m[3]});
	}
	return out;
}

std::vector<DebianArchive::PackageRef> DebianArchive::depends(const PackageRef &pkg) const
{
	auto all = show({pkg.name});
	const Stanza *pick = nullptr;
	// No version asked for: the highest any suite has.
	for (const auto &s : all)
		if (s.version == pkg.version ||
		    (pkg.version.empty() && (!pick || debian_version_compare(pick->version, s.version) < 0)))
			pick = &s;
	if (!pick)
		throw std::runtime_error("apt knows no " + pkg.name + (pkg.version.empty() ? "" : " " + pkg.version));
	return pick->depends;
}

std::string DebianArchive::download(const PackageRef &pkg, const std::string &dir) const
{
	std::string version = pkg.version;
	if (size_t colon = version.find(':'); colon != std::string::npos)
		version.replace(colon, 1, "%3a");
	std::string prefix = pkg.name + "_" + (version.empty() ? "" : version + "_");
	auto ours = [&](const fs::path &p) {
		return p.filename().string().starts_with(prefix) && p.extension() == ".deb";
	};
	// A file left by an interrupted run may be partial.
	for (const auto &e : sorted_entries(dir))
		if (ours(e))
			fs::remove(e);
	// apt-get download writes into the current directory.
	std::vector<std::string> argv = {"sh", "-c", "cd \"$0\" && exec \"$@\"", dir};
	auto a = apt("apt-get");
	argv.insert(argv.end(), a.begin(), a.end());
	argv.insert(argv.end(), {"-q", "download", pkg.version.empty() ? pkg.name : pkg.name + "=" + pkg.version});
	run_checked(argv);
	for (const auto &e : sorted_entries(dir))
		if (ours(e))
			return e.string();
	throw std::runtime_error("apt-get download " + pkg.name + " left no .deb in " + dir);
}

} // namespace xdplab
