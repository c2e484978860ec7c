// The kernel matrix: the selected experiments on the host kernel and on
// other kernels in VMs, one xdplab-results/1 file per kernel, then the report.
#pragma once
#include "../interruption.h"
#include "../engine/runner.h"
#include "../vm/kernel_images.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

struct MatrixOptions {
	std::vector<std::string> kernels;        // "6.1", "6.12", "host"
	std::vector<std::string> kernel_images;  // user bzImages
	std::vector<KernelImage> fetched_images; // Debian builds the caller fetched itself (bisect)
	std::vector<std::string> selectors;      // passed on to every run
	std::vector<std::string> harness_args;   // further options for every run (--packets ...)
	std::vector<std::string> subcommand;     // after them: e.g. {"bench", "drop"}; empty for experiments
	std::string results_suffix;              // <release><suffix>.json, e.g. "-bench"
	std::string results_dir;
	std::string cache_dir;
	std::string self_exe;
	std::string expectations_dir;
	int vm_timeout_s = 0;        // 0: derived from the accelerator and the subtests (guest_timing.h)
	int settle_ms = 100;         // the host's per-subtest timing, scaled for guests
	int timeout_ms = 3000;
	std::string accel = "auto";  // auto | kvm | tcg
	int parallel = 0;            // VMs at once; 0 = number of cores
	// Tests only (tests/tools/dead_guest.cpp), never a product option: a
	// guest /init that replaces the harness's, e.g. one that never reports.
	std::string replacement_init;
	std::vector<std::string> case_files;     // a user's case files: run them (they and their objects travel into guests)
	Interruption interruption; // throws to abandon the matrix (guests are killed)
};

struct KernelRun {
	std::string label;
	std::string results_file;
	std::string console_log;
	std::string accel;   // "host", "kvm", "tcg"
	long wall_ms = 0;
	bool guest_failed = false; // results are the harness's own error entries
};

// A kernel's results when its guest died, hung or sent nothing: one `error`
// per selected subtest, with the console log as evidence. Never an empty green.
RunResults results_for_dead_guest(const std::string &release, const std::vector<Selection> &selection,
				  const std::string &why, const std::string &console_log);

std::vector<KernelRun> run_matrix(const MatrixOptions &opt, const std::vector<Selection> &selection,
				  std::ostream &progress);

} // namespace xdplab
