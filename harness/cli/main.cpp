// xdplab: runs XDP/DEVMAP findings as experiments on the running kernel, on a
// matrix of kernels in VMs, and reports across kernels.
//
// Exit codes: 0 nothing deviates or errs, 1 something deviates, 2 something
// errs, 3 bad input or host not ready (nothing ran, no results written),
// 130 interrupted (everything the run created removed, no results written).
//
// This file parses and dispatches: options.cpp defines the command line,
// inputs.cpp checks it, and the *_command(s).cpp files beside it run what it asks.
#include "../../netns/naming.h"
#include "../case/case_experiment.h"
#include "../engine/runner.h"
#include "../kernel_version.h"
#include "../tracefs.h"
#include "archive_commands.h"
#include "exit_codes.h"
#include "guest_commands.h"
#include "host_commands.h"
#include "inputs.h"
#include "lint_command.h"
#include "options.h"
#include "report_command.h"

#include <algorithm>
#include <iostream>
#include <thread>

int main(int argc, char **argv)
{
	using namespace xdplab;
	using namespace xdplab::cli;

	Options o;
	CommandLine command_line(o);
	// -j's default, before the command line may override it: six per core, at
	// most 64. A subtest mostly waits for the kernel (RCU grace periods, the
	// RTNL; the whole host catalog at -j 8 left a 2-core machine 86 % idle),
	// so more at once shortens the run (README: bench/speed.sh with JOBS).
	o.run.jobs = static_cast<int>(std::clamp(6u * std::thread::hardware_concurrency(), 1u, 64u));
	try {
		command_line.app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		int rc = command_line.app.exit(e);
		return rc == 0 ? 0 : kExitConfig;
	}
	if (command_line.report_subcommand->parsed())
		return report(o);
	if (command_line.basis_subcommand->parsed())
		return basis(o);
	if (command_line.bench_subcommand->parsed())
		return bench_here_or_in_matrix(o, o.bench);

	if (o.list_kernels)
		return list_kernels(o);
	std::string tracefs_root = find_tracefs();
	if (o.cleanup)
		return require_root("--cleanup removes namespaces") ? cleanup(tracefs_root) : kExitConfig;

	std::vector<CatalogEntry> catalog;
	std::vector<Selection> selection;
	try {
		validate_inputs(o);
		catalog = o.case_paths.empty() ? load_catalog(o.expectations_dir, o.lint) : load_cases(case_files_in(o.case_paths));
		if (o.lint)
			return lint(o, catalog);
		if (command_line.bisect_subcommand->parsed())
			return bisect(o, catalog);
		if (o.list) {
			print_list(std::cout, catalog);
			return 0;
		}
		selection = select(catalog, o.selectors);
	} catch (const ConfigError &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return kExitConfig;
	}

	if (!o.kernels.empty() || !o.kernel_images.empty()) {
		try {
			expand_aliases(o, catalog);
		} catch (const std::exception &e) {
			std::cerr << "xdplab: cannot list Debian kernels: " << e.what() << "\n";
			return kExitConfig;
		}
		if (!require_root("the host run and the guests' setup need it"))
			return kExitConfig;
		return matrix(o, selection, matrix_options(o));
	}

	SubtestContext base;
	base.run_id = "000000"; // --explain: the real id is chosen under the run lock
	base.kernel = running_kernel();
	base.options = o.run;
	base.notes = &std::cout;
	if (o.explain) {
		base.run_id = new_run_id();
		base.run_tag = static_cast<uint32_t>(std::stoul(base.run_id, nullptr, 16));
		explain_experiments(selection, base, std::cout);
		return 0;
	}
	return run_here(o, selection, base, tracefs_root);
}
