// xdp-tools from Debian for the cost bench's anchor, without installing it:
// the packages (xdp-tools, libxdp1, libbpf1 and the libc6/libelf they were
// built against: trixie's and sid's need glibc 2.38, newer than bookworm's)
// are fetched through the harness's private apt (harness/vm/kernel_images.h)
// and unpacked with dpkg-deb -x under <kernel cache>/tools/.
#pragma once
#include <string>
#include <vector>

namespace xdplab::cost {

struct UnpackedXdpTools {
	std::string version;      // Debian version of xdp-tools
	std::string suite;
	std::string root;         // the unpacked tree
	std::string loader;       // its own ld-linux, so that its own libc is used
	std::string library_path; // its library directories, ':'-joined
	std::string object_path;  // libxdp's BPF objects (LIBXDP_OBJECT_PATH)
	std::string xdp_bench;
	// argv prefix that runs `tool` (e.g. the xdp_bench path) with the unpacked libraries.
	std::vector<std::string> command(const std::string &tool) const;
};

// The newest xdp-tools of at least `min_version` that the archive serves,
// unpacked (reused when already there). Throws with the reason otherwise.
UnpackedXdpTools fetch_xdp_tools(const std::string &kernel_cache, const std::string &min_version = "1.5");

} // namespace xdplab::cost
