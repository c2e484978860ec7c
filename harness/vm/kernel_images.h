// Kernels for the matrix: Debian's signed images fetched as packages and
// unpacked into a cache outside the repository, or a bzImage the user brings.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

struct KernelImage {
	std::string label;       // what the user asked for: "6.1", "6.12", "image:bzImage"
	std::string package;     // Debian package, "" for a user image
	std::string bzimage;     // path of the kernel image
	std::string modules_dir; // lib/modules/<release> of that kernel, "" if unknown
};

// "linux-image-6.1.0-56-amd64" for series "6.1": the newest signed build apt
// knows (no -cloud / -rt / -dbg / -unsigned flavours). nullopt if none.
std::optional<std::string> newest_debian_kernel_package(const std::string &series);

// Version-aware order of package names: "6.1.0-9" < "6.1.0-56", "6.12.9" < "6.12.117".
bool package_version_less(const std::string &a, const std::string &b);

// Download (apt-get download) and unpack (dpkg-deb -x) into cache_dir, once.
KernelImage fetch_debian_kernel(const std::string &series, const std::string &cache_dir);

// A user image; its modules are looked up beside it (../lib/modules/*) if present.
KernelImage user_kernel(const std::string &bzimage);

// The veth module of a kernel (veth.ko, .ko.xz or .ko.zst), or "" if built in / unknown.
std::string find_module(const KernelImage &k, const std::string &name);

} // namespace xdplab
