// The guest's initramfs: busybox for the basics, the real ip/ethtool/bpftool
// (busybox's ip cannot make veth pairs) with their shared libraries, the
// harness binary and its expectation files, the kernel's veth module, and an
// /init that runs the same harness code path as the host and sends the
// results back on the second serial port.
#pragma once
#include "kernel_images.h"

#include <string>
#include <vector>

namespace xdplab {

struct GuestPlan {
	std::string harness_binary;   // this xdplab, stripped into the image
	std::string expectations_dir; // experiments/*.json and *.yaml
	std::vector<std::string> harness_args; // selectors and options for the guest run
	std::vector<std::pair<std::string, std::string>> extra_files; // host path -> guest path (a user's cases)
};

// Where a user's case files go in the guest, with everything they need (the
// files they include, their object files), keeping their relative layout
// under /xdplab/cases/<n>/ so that relative names still resolve there.
struct CaseLayout {
	std::vector<std::pair<std::string, std::string>> files; // host -> guest
	std::vector<std::string> guest_cases;                   // the case files' guest paths
};
CaseLayout case_layout(const std::vector<std::string> &case_files);

// Builds <work_dir>/initramfs.cpio for kernel k; returns its path.
std::string build_initramfs(const KernelImage &k, const GuestPlan &plan, const std::string &work_dir);

// The guest's /init (harness/vm/guest_init.sh, built in), and the file of the
// harness's arguments it reads (/xdplab/args, one per line).
const std::string &guest_init_text();
std::string guest_args_file(const std::vector<std::string> &harness_args);

// Results travel as: "XDPLAB-RESULTS-BEGIN <sha256> <exit code> [gzip]", base64 lines,
// "XDPLAB-RESULTS-END". Decodes them from what the serial port wrote
// (tolerating CR/LF translation); throws if missing, truncated or corrupt.
struct GuestResults {
	std::string json_text;
	int exit_code = -1;
};
GuestResults decode_results_block(const std::string &serial_text);

std::string base64_decode(const std::string &in);
std::string gunzip(const std::string &in);
std::string sha256_hex(const std::string &data);

} // namespace xdplab
