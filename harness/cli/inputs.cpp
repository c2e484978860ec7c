#include "inputs.h"
#include "../basis/boundary_kernels.h"
#include "../vm/kernel_request.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace xdplab::cli {

namespace fs = std::filesystem;

bool require_root(const char *what)
{
	if (geteuid() == 0)
		return true;
	std::cerr << "xdplab: must run as root: " << what << " (sudo ./run.sh)\n";
	return false;
}

// Every input is checked before any work: a bad kernel name or path must not
// surface after minutes of booting guests.
void validate_inputs(const Options &o)
{
	for (const auto &k : o.kernels) {
		if (k == "host")
			continue;
		try {
			check_kernel_request(k);
		} catch (const std::exception &e) {
			throw ConfigError("--kernels " + k + ": " + e.what());
		}
	}
	std::error_code ec; // unreadable paths are reported by what uses them, not here
	for (const auto &img : o.kernel_images)
		if (!fs::is_regular_file(img, ec))
			throw ConfigError("--kernel-image " + img + ": no such file");
	if (!fs::is_directory(o.expectations_dir, ec)) {
		// A checkout in a directory only root may enter (mktemp -d makes them
		// 0700) is unreadable to anyone else: say that, not "no such directory".
		if (ec == std::errc::permission_denied)
			throw ConfigError("--expectations " + o.expectations_dir + ": " + ec.message() +
					  " for this user; xdplab must run as root (sudo ./run.sh)");
		throw ConfigError("--expectations " + o.expectations_dir + ": no such directory");
	}
	for (const auto &path : {o.json_path, o.junit_path, o.ktap_path})
		if (!path.empty() && fs::is_directory(path, ec))
			throw ConfigError(path + " is a directory, not a results file");
	if (!o.run.pcap_dir.empty() && (!o.kernels.empty() || !o.kernel_images.empty()))
		throw ConfigError("--pcap writes the frames of subtests run on this kernel; a guest's frames stay in "
				  "the guest (run --pcap without --kernels, or bisect to a build and boot it)");
	for (const auto &path : o.case_paths)
		if (!fs::exists(path, ec))
			throw ConfigError(path + ": no such case file or directory");
}

// Aliases (all, lts, newest, boundaries) name sets of kernels the archive carries today.
void expand_aliases(Options &o, const std::vector<CatalogEntry> &catalog)
{
	if (std::none_of(o.kernels.begin(), o.kernels.end(), kernel_alias))
		return;
	auto available = list_debian_kernels(o.kernel_cache);
	std::vector<std::string> requests = expand_kernel_requests(o.kernels, available);
	if (std::find(o.kernels.begin(), o.kernels.end(), "boundaries") != o.kernels.end()) {
		std::vector<const ExpectationFile *> files;
		for (const auto &e : catalog)
			files.push_back(&e.expectations);
		for (const auto &k : boundary_kernel_requests(boundary_pairs(files, available), std::cerr))
			if (std::find(requests.begin(), requests.end(), k) == requests.end())
				requests.push_back(k);
	}
	o.kernels = requests;
	std::cerr << "xdplab: kernels:";
	for (const auto &k : o.kernels)
		std::cerr << " " << k;
	std::cerr << "\n";
}

} // namespace xdplab::cli
