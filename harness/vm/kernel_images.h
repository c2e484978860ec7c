// Kernels for the matrix: a Debian build fetched and unpacked under the cache
// (once), or a bzImage the user brings; where each one's modules are.
#pragma once
#include "kernel_request.h"

#include <string>

namespace xdplab {

struct KernelImage {
	std::string label;       // what the user asked for: "6.1", "6.12.43", "image:bzImage"
	std::string package;     // Debian package, "" for a user image
	std::string bzimage;     // path of the kernel image
	std::string modules_dir; // (usr/)lib/modules/<release> of that kernel, "" if unknown
	std::string version;     // Debian version of the package, "" for a user image
};

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
