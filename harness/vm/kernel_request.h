// Which Debian kernel build a request ("6.1", "6.12.43", "7.3-rc7", an alias)
// means, among the images the archive's suites carry.
#pragma once
#include "debian_archive.h"

#include <optional>
#include <string>
#include <vector>

namespace xdplab {

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

// The build a request means, updating lists that may predate it; throws when
// nothing matches or the build cannot be booted (no kernel binary or modules).
DebianKernel resolve_kernel_request(const std::string &request, DebianArchive &a);

// The packages of one build: the image and what it depends on of the same ABI
// (linux-base-, linux-binary-, linux-modules-), those no suite carries left out.
std::vector<DebianArchive::PackageRef> build_packages(const DebianArchive &a, const DebianKernel &k);

// "<image> <version> depends on <missing>, which no suite carries any more".
std::string missing_note(const DebianKernel &k);

} // namespace xdplab
