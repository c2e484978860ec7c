#include "basis_sources.h"
#include "../../netns/command.h"
#include "../file_text.h"
#include "../results.h"
#include "../vm/kernel_images.h"

#include <algorithm>
#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// The changelog inside a .deb, or "" when the package has none (a metapackage
// whose doc directory links to another package's).
std::string changelog_in_deb(const std::string &deb, const std::string &scratch)
{
	fs::remove_all(scratch);
	fs::create_directories(scratch);
	run_checked({"sh", "-c",
		     "dpkg-deb --fsys-tarfile \"$0\" | tar -x -C \"$1\" --wildcards '*/usr/share/doc/*/changelog*' "
		     "2>/dev/null; exit 0",
		     deb, scratch});
	std::string found;
	std::error_code ec;
	for (const auto &e : fs::recursive_directory_iterator(scratch, ec))
		if (e.is_regular_file() && e.path().filename().string().starts_with("changelog"))
			found = read_changelog(e.path().string());
	fs::remove_all(scratch);
	return found;
}

std::string changelog_of_build(const DebianKernel &k, const std::string &cache_dir, std::ostream &progress)
{
	fs::path dir = fs::path(cache_dir) / "changelogs";
	fs::create_directories(dir);
	fs::path cached = dir / (k.package + "_" + k.version + ".txt");
	fs::path none = dir / (k.package + "_" + k.version + ".none"); // looked for before: nothing left
	if (fs::exists(cached))
		return read_file(cached.string());
	if (fs::exists(none))
		return "";
	std::string text;
	if (std::string unpacked = find_build_changelog(debian_build_dir(k, cache_dir), k.package); !unpacked.empty())
		text = read_changelog(unpacked);
	if (text.empty()) {
		// The image first; from 7.x its doc directory may only link to linux-base-'s.
		DebianArchive archive(cache_dir);
		std::vector<DebianArchive::PackageRef> candidates = {{k.package, k.version}};
		for (const auto &d : k.depends)
			if (d.name.starts_with("linux-base-") || d.name.starts_with("linux-binary-"))
				candidates.push_back(d);
		for (const auto &p : candidates) {
			progress << "basis: reading the changelog of " << p.name << " " << p.version << "\n" << std::flush;
			std::string deb;
			try {
				deb = archive.download(p, dir.string());
			} catch (const std::exception &) {
				continue; // gone from the archive (modules, base of some backports)
			}
			text = changelog_in_deb(deb, (dir / "unpack").string());
			fs::remove(deb);
			if (!text.empty())
				break;
		}
	}
	write_file_atomic(text.empty() ? none.string() : cached.string(), text);
	return text;
}

} // namespace

std::map<std::string, std::vector<ServedBuild>> served_builds(const std::vector<DebianKernel> &kernels)
{
	std::map<std::string, std::vector<ServedBuild>> out;
	for (const auto &k : kernels)
		out[kernel_series(k.upstream)].push_back({k.package, k.version, k.upstream, k.missing.empty()});
	for (auto &[_, builds] : out)
		std::sort(builds.begin(), builds.end(), [](const ServedBuild &a, const ServedBuild &b) {
			return debian_version_compare(a.version, b.version) < 0;
		});
	return out;
}

std::vector<SeriesChangelog> read_series_changelogs(const std::vector<DebianKernel> &kernels,
						    const std::string &cache_dir, std::ostream &progress)
{
	std::map<std::string, std::vector<const DebianKernel *>> by_series;
	for (const auto &k : kernels)
		by_series[kernel_series(k.upstream)].push_back(&k);
	std::vector<SeriesChangelog> out;
	for (auto &[series, builds] : by_series) {
		std::sort(builds.begin(), builds.end(), [](const DebianKernel *a, const DebianKernel *b) {
			int c = debian_version_compare(a->version, b->version);
			return c != 0 ? c > 0 : a->is_signed > b->is_signed; // one download per build
		});
		// The newest build whose changelog the archive still has: some backports
		// keep only the image, whose doc directory links to a linux-base- that is gone.
		bool read = false;
		for (const DebianKernel *k : builds) {
			std::string text = changelog_of_build(*k, cache_dir, progress);
			if (text.empty())
				continue;
			out.push_back({series, k->package, k->version, parse_debian_changelog(text)});
			read = true;
			break;
		}
		if (!read)
			progress << "basis: no changelog of any " << series << " build is left in the archive (the images' "
				 << "doc directories link to linux-base- packages it no longer carries); series skipped\n";
	}
	std::sort(out.begin(), out.end(), [](const SeriesChangelog &a, const SeriesChangelog &b) {
		return upstream_version_compare(a.series, b.series) < 0;
	});
	return out;
}

} // namespace xdplab
