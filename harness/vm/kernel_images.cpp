#include "kernel_images.h"

#include "../../netns/command.h"
#include "../file_text.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// Unpacked into root.partial and renamed, so that root exists only complete.
void unpack_kernel(const DebianArchive &a, const DebianKernel &k, const fs::path &root)
{
	fs::path tmp = root.string() + ".partial";
	fs::path dl = root.parent_path() / "downloads";
	fs::remove_all(tmp);
	fs::create_directories(tmp);
	fs::create_directories(dl);
	for (const auto &p : build_packages(a, k)) {
		std::string deb = a.download(p, dl.string());
		run_checked({"dpkg-deb", "-x", deb, tmp.string()});
		fs::remove(deb);
	}
	fs::rename(tmp, root);
}

std::string cache_name(const DebianKernel &k)
{
	std::string v = k.version;
	std::replace(v.begin(), v.end(), ':', '_');
	return k.package + "_" + v;
}

// A user image's module trees: ../lib/modules/* and ../usr/lib/modules/*
// from the directory it sits in (one tree even where lib is a link to usr/lib).
std::vector<fs::path> module_trees_beside(const fs::path &image)
{
	std::vector<fs::path> out;
	std::set<fs::path> seen;
	for (const char *m : {"lib/modules", "usr/lib/modules"})
		for (const auto &e : sorted_entries(image.parent_path().parent_path() / m)) {
			std::error_code ec;
			if (fs::is_directory(e, ec) && seen.insert(fs::canonical(e, ec)).second)
				out.push_back(e);
		}
	return out;
}

std::string release_of_image(const fs::path &image)
{
	std::string f = image.filename().string();
	return f.starts_with("vmlinuz-") ? f.substr(8) : "";
}

bool in_modules_tree(const fs::path &image)
{
	return image.filename() == "vmlinuz" && image.parent_path().parent_path().filename() == "modules";
}

std::string modules_beside(const fs::path &image)
{
	if (in_modules_tree(image))
		return image.parent_path().string();
	auto trees = module_trees_beside(image);
	for (const auto &t : trees)
		if (t.filename() == release_of_image(image))
			return t.string();
	return trees.size() == 1 ? trees[0].string() : "";
}

// What the error names when no modules directory was found for a user image.
std::string where_modules_were_sought(const KernelImage &k)
{
	if (!k.modules_dir.empty())
		return k.modules_dir;
	fs::path up = fs::path(k.bzimage).parent_path().parent_path();
	std::string s = (up / "lib/modules").string() + "/* and " + (up / "usr/lib/modules").string() + "/*";
	auto trees = module_trees_beside(k.bzimage);
	if (trees.size() > 1)
		s += " (" + std::to_string(trees.size()) + " trees there, none named after the image's release)";
	return s;
}

// Kernel configs that may sit beside an image: Debian's boot/config-<release>
// or, from 7.2, in the modules directory; a build tree's .config above
// arch/<arch>/boot/bzImage or beside a copied image.
std::vector<fs::path> kernel_configs(const KernelImage &k)
{
	std::vector<fs::path> out;
	if (!k.modules_dir.empty())
		out.push_back(fs::path(k.modules_dir) / "config");
	fs::path image = k.bzimage, dir = image.parent_path();
	if (!release_of_image(image).empty())
		out.push_back(dir / ("config-" + release_of_image(image)));
	if (dir.filename() == "boot" && dir.parent_path().parent_path().filename() == "arch")
		out.push_back(dir.parent_path().parent_path().parent_path() / ".config");
	out.push_back(dir / ".config");
	return out;
}

std::string config_symbol(const std::string &module)
{
	std::string s = "CONFIG_";
	for (char c : module)
		s += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return s;
}

} // namespace

KernelImage fetch_debian_kernel(const std::string &request, const std::string &cache_dir)
{
	DebianArchive a(cache_dir);
	return fetch_debian_build(resolve_kernel_request(request, a), request, cache_dir);
}

std::string debian_build_dir(const DebianKernel &k, const std::string &cache_dir)
{
	return (fs::absolute(cache_dir) / cache_name(k)).string();
}

KernelImage fetch_debian_build(const DebianKernel &dk, const std::string &label, const std::string &cache_dir)
{
	fs::path root = debian_build_dir(dk, cache_dir);
	if (!fs::exists(root))
		unpack_kernel(DebianArchive(cache_dir), dk, root);
	try {
		KernelImage k = kernel_in_tree(root.string());
		k.label = label;
		k.package = dk.package;
		k.version = dk.version;
		require_module(k, "veth");
		return k;
	} catch (const std::runtime_error &e) {
		throw std::runtime_error(std::string(e.what()) + (dk.missing.empty() ? "" : "; " + missing_note(dk)));
	}
}

// --- Image and modules on disk -----------------------------------------------

KernelImage kernel_in_tree(const std::string &root)
{
	fs::path r = root;
	KernelImage k;
	// Up to 7.1: boot/vmlinuz-<release>, modules in lib/modules/<release>,
	// from 6.18 in usr/lib/modules/<release>.
	for (const auto &e : sorted_entries(r / "boot")) {
		std::string release = release_of_image(e);
		if (release.empty())
			continue;
		k.bzimage = e.string();
		for (const char *m : {"lib/modules", "usr/lib/modules"})
			if (k.modules_dir.empty() && fs::is_directory(r / m / release))
				k.modules_dir = (r / m / release).string();
		return k;
	}
	// From 7.2: usr/lib/modules/<release>/vmlinuz beside its modules.
	for (const char *m : {"usr/lib/modules", "lib/modules"})
		for (const auto &e : sorted_entries(r / m))
			if (fs::is_regular_file(e / "vmlinuz")) {
				k.bzimage = (e / "vmlinuz").string();
				k.modules_dir = e.string();
				return k;
			}
	throw std::runtime_error("no kernel image in " + root +
				 " (looked for boot/vmlinuz-*, usr/lib/modules/*/vmlinuz and lib/modules/*/vmlinuz)");
}

KernelImage user_kernel(const std::string &bzimage)
{
	if (!fs::is_regular_file(bzimage))
		throw std::runtime_error("kernel image not found: " + bzimage);
	KernelImage k;
	k.label = "image:" + fs::path(bzimage).filename().string();
	k.bzimage = fs::absolute(bzimage).lexically_normal().string();
	k.modules_dir = modules_beside(k.bzimage);
	require_module(k, "veth");
	return k;
}

std::string find_module(const KernelImage &k, const std::string &name)
{
	std::error_code ec;
	if (k.modules_dir.empty() || !fs::is_directory(k.modules_dir, ec))
		return "";
	for (auto it = fs::recursive_directory_iterator(k.modules_dir, ec); !ec && it != fs::recursive_directory_iterator();
	     it.increment(ec)) {
		std::string f = it->path().filename().string();
		for (const char *ext : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"})
			if (f == name + ext)
				return it->path().string();
	}
	return "";
}

bool module_builtin(const KernelImage &k, const std::string &name)
{
	if (!k.modules_dir.empty())
		for (const auto &l : trimmed_lines(read_file(fs::path(k.modules_dir) / "modules.builtin")))
			if (l == name + ".ko" || l.ends_with("/" + name + ".ko"))
				return true;
	std::string builtin = config_symbol(name) + "=y";
	for (const auto &c : kernel_configs(k))
		for (const auto &l : trimmed_lines(read_file(c)))
			if (l == builtin)
				return true;
	return false;
}

std::string require_module(const KernelImage &k, const std::string &name)
{
	std::string m = find_module(k, name);
	if (!m.empty() || module_builtin(k, name))
		return m;
	std::string configs;
	for (const auto &c : kernel_configs(k))
		configs += (configs.empty() ? "" : ", ") + c.string();
	throw std::runtime_error("kernel " + k.label + " (" + k.bzimage + "): no " + name + " module (" + name +
				 ".ko[.xz|.zst|.gz]) in " + where_modules_were_sought(k) + ", and neither " +
				 (k.modules_dir.empty() ? std::string("a modules.builtin")
							: (fs::path(k.modules_dir) / "modules.builtin").string()) +
				 " nor " + config_symbol(name) + "=y in " + configs +
				 " says it is built in; the guest could not create its interfaces");
}

} // namespace xdplab
