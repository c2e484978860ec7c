#include "xdp_tools_fetch.h"

#include "../../netns/command.h"
#include "../vm/kernel_images.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace xdplab::cost {

namespace fs = std::filesystem;

namespace {

// What xdp-bench loads at run time, besides xdp-tools itself.
const std::vector<std::string> kRuntimePackages = {"libxdp1", "libbpf1", "libc6", "libelf1t64"};

UnpackedXdpTools layout(const fs::path &root, const std::string &version, const std::string &suite)
{
	UnpackedXdpTools t;
	t.version = version;
	t.suite = suite;
	t.root = root.string();
	const fs::path lib = root / "usr/lib/x86_64-linux-gnu";
	t.loader = (lib / "ld-linux-x86-64.so.2").string();
	t.library_path = lib.string() + ":" + (root / "lib/x86_64-linux-gnu").string();
	t.object_path = (lib / "bpf").string();
	t.xdp_bench = (root / "usr/sbin/xdp-bench").string();
	return t;
}

} // namespace

std::vector<std::string> UnpackedXdpTools::command(const std::string &tool) const
{
	// The loader of the unpacked libc with the unpacked libraries first: the
	// host's libc is older than these binaries need, and stays untouched.
	return {"env", "LIBXDP_OBJECT_PATH=" + object_path, loader, "--library-path", library_path, tool};
}

UnpackedXdpTools fetch_xdp_tools(const std::string &kernel_cache, const std::string &min_version)
{
	DebianArchive apt(kernel_cache);
	apt.refresh();
	// The newest version, and the suite it comes from: its libraries come from there too.
	DebianArchive::Offer best{};
	for (const auto &o : apt.suites_of({"xdp-tools"}))
		if (debian_version_compare(o.version, min_version) >= 0 &&
		    (best.version.empty() || debian_version_compare(best.version, o.version) < 0))
			best = o;
	if (best.version.empty())
		throw std::runtime_error("the archive serves no xdp-tools " + min_version + " or later");

	fs::path root = fs::path(kernel_cache) / "tools" / ("xdp-tools_" + best.version) / "root";
	UnpackedXdpTools t = layout(root, best.version, best.suite);
	fs::path done = root.parent_path() / "unpacked";
	if (fs::exists(done) && fs::exists(t.xdp_bench) && fs::exists(t.loader))
		return t;

	fs::path debs = root.parent_path() / "debs";
	fs::remove_all(root);
	fs::create_directories(debs);
	fs::create_directories(root);
	std::vector<DebianArchive::PackageRef> wanted = {{"xdp-tools", best.version}};
	auto offers = apt.suites_of(kRuntimePackages);
	for (const auto &name : kRuntimePackages) {
		std::string version;
		for (const auto &o : offers)
			if (o.package == name && o.suite == best.suite)
				version = o.version;
		if (version.empty())
			throw std::runtime_error("the archive's " + best.suite + " has no " + name);
		wanted.push_back({name, version});
	}
	for (const auto &p : wanted)
		run_checked({"dpkg-deb", "-x", apt.download(p, debs.string()), root.string()});
	if (!fs::exists(t.xdp_bench))
		throw std::runtime_error("xdp-tools " + best.version + " has no usr/sbin/xdp-bench");
	std::ofstream(done) << best.version << " " << best.suite << "\n";
	return t;
}

} // namespace xdplab::cost
