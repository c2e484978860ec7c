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

// The version that decides behaviour. Debian and Ubuntu keep "6.1.0-50-amd64"
// or "5.15.0-91-generic" as the release for a whole series; the upstream
// stable version, which is what backports key on, is elsewhere:
//  - Ubuntu: /proc/version_signature, "Ubuntu 5.15.0-91.101-generic 5.15.131";
//  - Debian: `uname -v`, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-01)".
// Pure: the caller passes the texts ("" for a file that does not exist). A
// version naming another series than the release is not trusted.
KernelVersion effective_kernel_version(const std::string &release, const std::string &uname_version,
				       const std::string &version_signature = "");

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
// uname(2) and, on Ubuntu, /proc/version_signature.
RunningKernel running_kernel();

} // namespace xdplab
