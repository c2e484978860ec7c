// Kernels for the matrix: Debian's signed images fetched as packages from
// every suite that carries one, through an apt configuration of our own under
// the cache (the host's sources and lists are never used or changed), and
// unpacked there; or a bzImage the user brings.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

struct KernelImage {
	std::string label;       // what the user asked for: "6.1", "6.12.43", "image:bzImage"
	std::string package;     // Debian package, "" for a user image
	std::string bzimage;     // path of the kernel image
	std::string modules_dir; // (usr/)lib/modules/<release> of that kernel, "" if unknown
	std::string version;     // Debian version of the package, "" for a user image
};

// --- Mirrors and the private apt configuration ------------------------------

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

// apt with its own sources list, lists, caches and an empty dpkg status under
// <cache_dir>/apt. The host's apt.conf.d still applies (proxies, Check-Valid-Until)
// except its update hooks, which concern the host's lists.
class DebianArchive {
public:
	struct PackageRef {
		std::string name;
		std::string version; // "" for whatever apt's candidate is
	};

	// Writes the configuration (mirrors from the host's sources); no network.
	explicit DebianArchive(const std::string &cache_dir);

	// apt-get update. A suite the mirror does not serve is not fatal as long as
	// some lists arrived; apt's output is kept in update.log.
	void update();
	// Never updated, updated longer ago than max_age, or the sources changed since.
	bool stale(std::chrono::hours max_age = std::chrono::hours(24)) const;
	// Updates when stale(); returns whether it did.
	bool refresh();

	std::vector<std::string> search(const std::string &name_regex) const;
	// Every version of these packages: name, version and Depends (all alternatives).
	struct Stanza {
		std::string package;
		std::string version;
		std::vector<PackageRef> depends;
	};
	std::vector<Stanza> show(const std::vector<std::string> &names) const;
	// Which suites carry each version: {package, version, suite} rows.
	struct Offer {
		std::string package;
		std::string version;
		std::string suite;
	};
	std::vector<Offer> suites_of(const std::vector<std::string> &names) const;
	std::vector<PackageRef> depends(const PackageRef &pkg) const;
	// apt-get download into dir; returns the .deb's path.
	std::string download(const PackageRef &pkg, const std::string &dir) const;

	const std::string &dir() const { return dir_; }
	// The apt command line prefix: {tool, "-c", <private apt.conf>}.
	std::vector<std::string> apt(const std::string &tool) const;

private:
	std::string dir_;
};

// --- Which kernel a request means --------------------------------------------

struct DebianKernel {
	std::string package;  // linux-image-6.12.43+deb12-amd64
	std::string version;  // Debian version: 6.12.43-1~bpo12+1
	std::string upstream; // kernel version: 6.12.43
	std::string suite;    // bookworm-backports; several joined by ", "
	bool is_signed = true; // false for an -unsigned package
	std::vector<DebianArchive::PackageRef> depends;
	// Packages of the same build it depends on that no suite carries any more
	// (backports keep old images longer than their linux-modules-/linux-base-).
	std::vector<std::string> missing;
};

// dpkg's order of versions (epoch, upstream, revision; "~" before anything): <0, 0, >0.
int debian_version_compare(const std::string &a, const std::string &b);

// "6.12.43-1~bpo12+1" -> "6.12.43", "1:7.3~rc7-1~exp1" -> "7.3~rc7".
std::string upstream_version(const std::string &debian_version);

// By upstream version, then Debian version, then signed before unsigned.
bool kernel_older(const DebianKernel &a, const DebianKernel &b);

// "6.1" is a series (the newest 6.1.x), "6.12.43" or "7.3-rc7" an exact
// upstream version.
struct KernelRequest {
	std::string version; // "6.1", "6.12.43", "7.3~rc7"
	bool exact = false;
};
KernelRequest parse_kernel_request(const std::string &request);

// Throws std::invalid_argument naming the accepted forms; "host" is the
// caller's business, not a Debian request. Aliases (kernel_alias()) pass.
void check_kernel_request(const std::string &request);

// Names for sets of kernels, expanded against what the archive carries:
//   all     the newest complete build of every series, plus host
//   lts     the series of Debian's stable releases: 5.10, 6.1, 6.12
//   newest  the newest stable series and the newest release candidate
bool kernel_alias(const std::string &request);
std::vector<std::string> expand_kernel_requests(const std::vector<std::string> &requests,
						const std::vector<DebianKernel> &available);

// "6.12" for 6.12.43, "7.3" for 7.3~rc7.
std::string kernel_series(const std::string &upstream);

bool request_matches(const KernelRequest &r, const DebianKernel &k);

// The newest signed match, an unsigned one only when no signed one exists;
// one with nothing missing before either.
std::optional<DebianKernel> choose_kernel(const KernelRequest &r, const std::vector<DebianKernel> &kernels);

// Stanzas of "linux-image-*" packages to kernels: standard amd64 flavour only,
// aliases (packages that only depend on another linux-image) left out, suites
// from the offers, newest first.
std::vector<DebianKernel> kernels_from_stanzas(const std::vector<DebianArchive::Stanza> &stanzas,
					       const std::vector<DebianArchive::Offer> &offers);

// Fills k.missing: same-build dependencies (linux-binary-, linux-modules-,
// linux-base-<abi>) not among the package names the suites carry.
void mark_missing_packages(std::vector<DebianKernel> &kernels, const std::vector<std::string> &carried);

// The archive no longer has the build's kernel binary or modules (veth among
// them): it cannot be booted here. Base files alone missing do not matter.
bool lacks_kernel_or_modules(const DebianKernel &k);

// Every image the suites offer, newest first (refreshes stale lists).
std::vector<DebianKernel> list_debian_kernels(const std::string &cache_dir);

// The package a request means, e.g. "6.1" -> "linux-image-6.1.0-56-amd64";
// lists only, no download. Throws when nothing matches.
std::string resolve_debian_kernel(const std::string &request, const std::string &cache_dir);

// Checks the request, resolves it, downloads the image with the packages of
// the same build it depends on (kernel binary, modules, base files), unpacks
// them into <cache_dir>/<package>_<version> once, and checks for veth.
KernelImage fetch_debian_kernel(const std::string &request, const std::string &cache_dir);

// The same for one build as listed (bisect tries builds a request would not
// pick, e.g. a bullseye rebuild); label names it in progress and file names.
KernelImage fetch_debian_build(const DebianKernel &k, const std::string &label, const std::string &cache_dir);

// Where a build is (or would be) unpacked: <cache_dir>/<package>_<version>.
std::string debian_build_dir(const DebianKernel &k, const std::string &cache_dir);

// --- Image and modules on disk -----------------------------------------------

// An unpacked package tree: boot/vmlinuz-<release> with (usr/)lib/modules/<release>
// (up to 7.1), or usr/lib/modules/<release>/vmlinuz. Throws naming what was looked for.
KernelImage kernel_in_tree(const std::string &root);

// A user image; its modules are the directory it sits in if that is
// .../modules/<release>/vmlinuz, else ../lib/modules/* or ../usr/lib/modules/*
// beside it (the one named like the image's release, or the only one).
// Throws if the image is missing or neither veth module nor built-in veth is found.
KernelImage user_kernel(const std::string &bzimage);

// The module file (.ko, .ko.xz, .ko.zst or .ko.gz) under k.modules_dir, or "".
std::string find_module(const KernelImage &k, const std::string &name);

// The kernel says the module is built in: modules.builtin of its modules, or
// CONFIG_<NAME>=y in its config (modules dir, boot/config-<release> beside the
// image, or .config of the build tree a bzImage sits in).
bool module_builtin(const KernelImage &k, const std::string &name);

// find_module, "" when built in, else an error naming the paths looked at.
std::string require_module(const KernelImage &k, const std::string &name);

} // namespace xdplab
