// A kernel matrix of one Debian kernel whose guest never reports: its /init
// exits at once (the kernel panics) or hangs. What the matrix must then say
// (an `error` per subtest, the console log kept, within the timeout) is
// checked by tests/integration/vm_dead_guest.sh. A test tool: the product's
// command line has no such option.
//
//   dead_guest XDPLAB_BINARY exit-early|hang TIMEOUT_S RESULTS_DIR CASE_FILE SUBTEST
#include "harness/case/case_experiment.h"
#include "harness/matrix/matrix.h"

#include <filesystem>
#include <iostream>

using namespace xdplab;

int main(int argc, char **argv)
{
	if (argc != 7) {
		std::cerr << "usage: dead_guest XDPLAB_BINARY exit-early|hang TIMEOUT_S RESULTS_DIR CASE_FILE SUBTEST\n";
		return 3;
	}
	const std::string mode = argv[2];
	MatrixOptions m;
	m.kernels = {"6.1"};
	m.self_exe = std::filesystem::canonical(argv[1]).string();
	m.replacement_init = mode == "hang" ? "#!/bin/busybox sh\n/bin/busybox sleep 100000\n" : "#!/bin/busybox sh\nexit 1\n";
	m.vm_timeout_s = std::stoi(argv[3]);
	m.results_dir = argv[4];
	m.case_files = {argv[5]};
	m.selectors = {argv[6]};
	m.harness_args = {"--quiet"};
	m.cache_dir = "/var/cache/xdplab/kernels";
	m.expectations_dir = std::filesystem::path(argv[5]).parent_path().string();
	m.accel = "tcg";
	m.interruption = Interruption::from_signals();
	try {
		auto runs = run_matrix(m, select(load_cases(m.case_files), m.selectors), std::cerr);
		int rc = 0;
		for (const auto &r : runs)
			rc = std::max(rc, r.guest_failed ? 2 : 0);
		return rc;
	} catch (const std::exception &e) {
		std::cerr << "dead_guest: " << e.what() << "\n";
		return 3;
	}
}
