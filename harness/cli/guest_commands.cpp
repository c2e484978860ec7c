#include "guest_commands.h"
#include "../case/case_experiment.h"
#include "../formats/table.h"
#include "../matrix/bisect_run.h"
#include "../report/report.h"
#include "../tracefs.h"
#include "exit_codes.h"
#include "inputs.h"
#include "outputs.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iostream>

namespace xdplab::cli {

namespace fs = std::filesystem;

namespace {

// Runs that boot guests: their exceptions as exit codes (guests are stopped
// by the unwinding).
int with_guests(const std::function<int()> &run)
{
	try {
		return run();
	} catch (const Interrupted &) {
		std::cerr << "\nxdplab: interrupted; guests stopped\n";
		return kExitInterrupted;
	} catch (const ConfigError &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return kExitConfig;
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}
}

} // namespace

MatrixOptions matrix_options(const Options &o)
{
	MatrixOptions m;
	m.kernels = o.kernels;
	m.kernel_images = o.kernel_images;
	m.selectors = o.selectors;
	m.harness_args = {"--packets", std::to_string(o.run.packets), "--quiet"};
	m.results_dir = o.results_dir;
	m.cache_dir = o.kernel_cache;
	m.self_exe = fs::canonical("/proc/self/exe").string();
	m.expectations_dir = o.expectations_dir;
	m.vm_timeout_s = o.vm_timeout_s;
	m.settle_ms = o.run.settle_ms;
	m.timeout_ms = o.run.timeout_ms;
	m.accel = o.accel;
	m.parallel = o.parallel;
	m.case_files = case_files_in(o.case_paths);
	m.interruption = Interruption::from_signals();
	return m;
}

int matrix(const Options &o, const std::vector<Selection> &selection, MatrixOptions m)
{
	return with_guests([&] {
		auto runs = run_matrix(m, selection, std::cerr);
		std::vector<std::string> files;
		for (const auto &r : runs)
			files.push_back(r.results_file);
		auto loaded = load_result_files(files);
		std::ostream &human = o.ktap_path == "-" ? std::cerr : std::cout;
		write_report(loaded, std::nullopt, o.results_dir, {}, human);
		int rc = 0;
		for (const auto &f : loaded) {
			if (!f.results.experiments.empty()) // a bench's table is in the report
				print_table(human, f.results);
			rc = std::max(rc, f.results.exit_code());
		}
		human << "\nwall time per kernel:";
		for (const auto &r : runs)
			human << "  " << r.label << " (" << r.accel << ") " << r.wall_ms / 1000 << " s";
		human << "\nreport: " << o.results_dir << "/report.md, " << o.results_dir << "/report.html\n";
		write_ktap(o.ktap_path, loaded);
		return rc;
	});
}

int bisect(const Options &o, const std::vector<CatalogEntry> &catalog)
{
	if (!require_root("the guests' setup needs it"))
		return kExitConfig;
	if (!o.selectors.empty()) { // further positionals fall through to the experiments list
		std::cerr << "xdplab: bisect takes one <id>/<subtest>, not also " << o.selectors.front() << "\n";
		return kExitConfig;
	}
	return with_guests([&] {
		BisectRequest r{o.bisect_subtest, o.bisect_good, o.bisect_bad, o.json_path, matrix_options(o)};
		return run_bisect(r, select(catalog, {r.selector}), std::cout, std::cerr);
	});
}

// On this kernel, or with --kernels/--kernel-image on each of them (guests'
// figures are marked emulated in the report).
int bench_here_or_in_matrix(Options &o, cost::BenchOptions bench)
{
	if (!require_root("it creates namespaces and loads BPF programs"))
		return kExitConfig;
	if (!o.kernels.empty() || !o.kernel_images.empty()) {
		try {
			validate_inputs(o);
			expand_aliases(o, {}); // costs have no expectation edges: "boundaries" adds nothing
		} catch (const std::exception &e) {
			std::cerr << "xdplab: " << e.what() << "\n";
			return kExitConfig;
		}
		MatrixOptions m = matrix_options(o);
		m.selectors.clear();
		m.harness_args = {"--quiet"};
		m.subcommand = {"bench", "--repetitions", std::to_string(bench.repetitions)};
		m.subcommand.insert(m.subcommand.end(), bench.cases.begin(), bench.cases.end());
		m.results_suffix = "-bench";
		if (o.vm_timeout_s == 0)
			m.vm_timeout_s = 900; // ten cases, repetitions, under emulation
		return matrix(o, {}, m);
	}
	bench.results_dir = o.results_dir;
	bench.kernel_cache = o.kernel_cache;
	if (bench.json_path.empty()) // a guest names its results file before the subcommand
		bench.json_path = o.json_path;
	bench.interruption = Interruption::from_signals();
	return cost::run_bench(bench, find_tracefs());
}

} // namespace xdplab::cli
