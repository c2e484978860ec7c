#include "kernel_images.h"

#include "../command.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace xdplab {

bool package_version_less(const std::string &a, const std::string &b)
{
	size_t i = 0, j = 0;
	while (i < a.size() && j < b.size()) {
		if (isdigit(a[i]) && isdigit(b[j])) {
			size_t ei = i, ej = j;
			while (ei < a.size() && isdigit(a[ei]))
				++ei;
			while (ej < b.size() && isdigit(b[ej]))
				++ej;
			unsigned long x = std::stoul(a.substr(i, ei - i)), y = std::stoul(b.substr(j, ej - j));
			if (x != y)
				return x < y;
			i = ei;
			j = ej;
		} else {
			if (a[i] != b[j])
				return a[i] < b[j];
			++i;
			++j;
		}
	}
	return a.size() - i < b.size() - j;
}

std::optional<std::string> newest_debian_kernel_package(const std::string &series)
{
	std::string escaped = std::regex_replace(series, std::regex(R"(\.)"), R"(\.)");
	// Debian names: 6.1 -> linux-image-6.1.0-56-amd64; 6.12 (bookworm backport) -> linux-image-6.12.117+deb12-amd64.
	std::regex name("^linux-image-" + escaped + R"((\.0-[0-9]+|\.[0-9]+\+deb[0-9]+)-amd64$)");
	CommandResult r = run_command({"apt-cache", "search", "--names-only", "^linux-image-" + escaped});
	std::vector<std::string> names;
	std::istringstream in(r.output);
	std::string line;
	while (std::getline(in, line)) {
		std::string pkg = line.substr(0, line.find(' '));
		if (std::regex_match(pkg, name))
			names.push_back(pkg);
	}
	if (names.empty())
		return std::nullopt;
	return *std::max_element(names.begin(), names.end(), package_version_less);
}

KernelImage fetch_debian_kernel(const std::string &series, const std::string &cache_dir)
{
	auto pkg = newest_debian_kernel_package(series);
	if (!pkg) {
		// Package lists may be missing or stale on a machine that had everything else.
		run_command({"apt-get", "update", "-qq"});
		pkg = newest_debian_kernel_package(series);
	}
	if (!pkg)
		throw std::runtime_error("no Debian kernel package for series " + series +
					 " (apt-cache search linux-image-" + series + "; run apt-get update?)");
	KernelImage k;
	k.label = series;
	k.package = *pkg;
	fs::path root = fs::path(cache_dir) / *pkg;
	if (!fs::exists(root / ".unpacked")) {
		fs::path dl = fs::path(cache_dir) / "downloads";
		fs::create_directories(dl);
		// apt-get download writes into the current directory.
		run_checked({"sh", "-c", "cd \"$0\" && apt-get download -q \"$1\"", dl.string(), *pkg});
		fs::path deb;
		for (const auto &e : fs::directory_iterator(dl))
			if (e.path().filename().string().rfind(*pkg + "_", 0) == 0)
				deb = e.path();
		if (deb.empty())
			throw std::runtime_error("apt-get download " + *pkg + " left no .deb in " + dl.string());
		fs::remove_all(root);
		fs::create_directories(root);
		run_checked({"dpkg-deb", "-x", deb.string(), root.string()});
		fs::remove(deb);
		run_checked({"touch", (root / ".unpacked").string()});
	}
	for (const auto &e : fs::directory_iterator(root / "boot"))
		if (e.path().filename().string().rfind("vmlinuz-", 0) == 0)
			k.bzimage = e.path().string();
	for (const auto &e : fs::directory_iterator(root / "lib" / "modules"))
		k.modules_dir = e.path().string();
	if (k.bzimage.empty())
		throw std::runtime_error("no vmlinuz in " + (root / "boot").string());
	return k;
}

KernelImage user_kernel(const std::string &bzimage)
{
	if (!fs::exists(bzimage))
		throw std::runtime_error("kernel image not found: " + bzimage);
	KernelImage k;
	k.label = "image:" + fs::path(bzimage).filename().string();
	k.bzimage = fs::absolute(bzimage).string();
	fs::path mods = fs::path(k.bzimage).parent_path().parent_path() / "lib" / "modules";
	if (fs::exists(mods))
		for (const auto &e : fs::directory_iterator(mods))
			k.modules_dir = e.path().string();
	return k;
}

std::string find_module(const KernelImage &k, const std::string &name)
{
	if (k.modules_dir.empty() || !fs::exists(k.modules_dir))
		return "";
	for (const auto &e : fs::recursive_directory_iterator(k.modules_dir)) {
		std::string f = e.path().filename().string();
		if (f == name + ".ko" || f == name + ".ko.xz" || f == name + ".ko.zst" || f == name + ".ko.gz")
			return e.path().string();
	}
	return "";
}

} // namespace xdplab
