// What the command line says, and the CLI11 definition that fills it: every
// option, subcommand and help text of xdplab.
#pragma once
#include "../cost/bench_command.h"
#include "../subtest_context.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#ifndef XDPLAB_SOURCE_DIR
#define XDPLAB_SOURCE_DIR "."
#endif

namespace xdplab::cli {

struct Options {
	std::vector<std::string> selectors;
	std::string json_path, junit_path;
	std::string ktap_path; // "-": stdout (the table then goes to stderr)
	std::string expectations_dir = XDPLAB_SOURCE_DIR "/experiments";
	std::string results_dir = XDPLAB_SOURCE_DIR "/results";
	bool list = false, explain = false, keep = false, cleanup = false, quiet = false, lint = false,
	     list_kernels = false;
	RunOptions run;
	// kernel matrix
	std::vector<std::string> kernels, kernel_images;
	std::string kernel_cache = "/var/cache/xdplab/kernels", accel = "auto";
	int vm_timeout_s = 0, parallel = 0;
	// report
	std::vector<std::string> report_paths;
	std::string baseline, report_out;
	std::string kcidb_path, artifacts_url;
	// bisect
	std::string bisect_subtest, bisect_good, bisect_bad;
	// case files a user brings (xdplab case FILE...)
	std::vector<std::string> case_paths;
	// basis
	std::string basis_json;
	bool basis_save = false;
	// bench: its own --json, cases and rounds
	cost::BenchOptions bench;
};

// The app and the subcommands main dispatches on. Built in place and never
// moved: CLI11 keeps pointers into the app and into the Options it fills.
struct CommandLine {
	CLI::App app{"xdplab: does this kernel still behave the way an XDP program assumes?"};
	CLI::App *case_subcommand, *report_subcommand, *bisect_subcommand, *basis_subcommand, *bench_subcommand;

	explicit CommandLine(Options &o);
	CommandLine(const CommandLine &) = delete;
	CommandLine &operator=(const CommandLine &) = delete;
};

} // namespace xdplab::cli
