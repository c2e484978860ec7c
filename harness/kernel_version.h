// Kernel versions and version ranges, as expectations use them.
#pragma once
#include <compare>
#include <optional>
#include <string>

namespace xdplab {

struct KernelVersion {
	int major = 0, minor = 0, patch = 0;
	auto operator<=>(const KernelVersion &) const = default;
	std::string str() const;
};

// "6.18.44-fc-v657" -> 6.18.44, "6.1" -> 6.1.0; nullopt if it does not start with N.N.
std::optional<KernelVersion> parse_kernel_version(const std::string &text);

// The version that decides behaviour. Debian and Ubuntu keep "6.1.0-50-amd64" as
// the release for a whole series; their `uname -v` says the real one
// ("... Debian 6.1.158-1 ..."), which is what stable backports key on.
KernelVersion effective_kernel_version(const std::string &release, const std::string &uname_version);

// [from, until): either bound may be absent.
struct VersionRange {
	std::optional<KernelVersion> from, until;
	bool contains(const KernelVersion &v) const;
	std::string str() const;
};

struct RunningKernel {
	std::string release;
	KernelVersion version;
};
RunningKernel running_kernel();

} // namespace xdplab
