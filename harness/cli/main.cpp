// xdplab: runs XDP/DEVMAP findings as experiments on the running kernel, on a
// matrix of kernels in VMs, and reports across kernels.
//
// Exit codes: 0 nothing deviates or errs, 1 something deviates, 2 something
// errs, 3 bad input or host not ready (nothing ran, no results written),
// 130 interrupted (everything the run created removed, no results written).
#include "../../netns/naming.h"
#include "../../netns/run_liveness.h"
#include "../../netns/sweep.h"
#include "../basis/basis_command.h"
#include "../basis/boundary_kernels.h"
#include "../matrix/bisect_run.h"
#include "../drop_watch.h"
#include "../formats/junit.h"
#include "../formats/kcidb.h"
#include "../formats/ktap.h"
#include "../formats/table.h"
#include "../case/case_experiment.h"
#include "../cost/bench_command.h"
#include "../kernel_log.h"
#include "../engine/probe.h"
#include "../report/report.h"
#include "../engine/runner.h"
#include "../trace_collector.h"
#include "../tracefs.h"
#include "../vm/kernel_images.h"
#include "../matrix/matrix.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>
#include <unistd.h>

#ifndef XDPLAB_SOURCE_DIR
#define XDPLAB_SOURCE_DIR "."
#endif

namespace {

using namespace xdplab;
namespace fs = std::filesystem;

constexpr int kExitConfig = 3;
constexpr int kExitInterrupted = 130;

// The trace events whose lines explain a drop, plus the programs' own printk.
const std::vector<std::string> kTraceEvents = {
	"xdp/xdp_exception",        "xdp/xdp_redirect",    "xdp/xdp_redirect_err",       "xdp/xdp_redirect_map",
	"xdp/xdp_redirect_map_err", "xdp/xdp_devmap_xmit", "xdp/xdp_bulk_tx",  "bpf_trace/bpf_trace_printk",
};

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
};

int cleanup(const std::string &tracefs_root)
{
	auto items = find_leftovers(tracefs_root, true);
	if (items.empty()) {
		std::cout << "xdplab: nothing left behind by earlier runs\n";
		return 0;
	}
	for (const auto &i : items)
		std::cout << "xdplab: removing " << i.kind << " " << i.name << " (run " << i.run_id << ")\n";
	auto problems = remove_leftovers(items, tracefs_root);
	for (const auto &p : problems)
		std::cerr << "xdplab: " << p << "\n";
	return problems.empty() ? 0 : 2;
}

void ensure_parent_dir(const std::string &path)
{
	auto parent = fs::path(path).parent_path();
	if (!parent.empty())
		fs::create_directories(parent);
}

bool require_root(const char *what)
{
	if (geteuid() == 0)
		return true;
	std::cerr << "xdplab: must run as root: " << what << " (sudo ./run.sh)\n";
	return false;
}

// KTAP of the runs, to PATH or to stdout ("-"); nothing when PATH is "".
void write_ktap(const std::string &path, const std::vector<ResultFile> &files)
{
	if (path.empty())
		return;
	std::vector<const RunResults *> runs;
	for (const auto &f : files)
		if (!f.results.experiments.empty()) // a bench's results have no tests
			runs.push_back(&f.results);
	std::string text = to_ktap(runs);
	if (path == "-") {
		std::cout << text << std::flush;
		return;
	}
	ensure_parent_dir(path);
	write_file_atomic(path, text);
}

int report(const Options &o)
{
	std::vector<std::string> paths = o.report_paths.empty() ? std::vector<std::string>{o.results_dir} : o.report_paths;
	try {
		auto current = load_result_files(paths);
		if (current.empty()) {
			std::cerr << "xdplab: no xdplab-results/1 files under " << paths.front() << "\n";
			return kExitConfig;
		}
		std::optional<std::vector<ResultFile>> baseline;
		if (!o.baseline.empty())
			baseline = load_result_files({o.baseline});
		std::string out = o.report_out;
		if (out.empty())
			out = fs::is_directory(paths.front()) ? paths.front() : fs::path(paths.front()).parent_path().string();
		std::ostream &human = o.ktap_path == "-" ? std::cerr : std::cout;
		write_report(current, baseline, out, {}, human);
		human << "report: " << out << "/report.md, " << out << "/report.html (" << current.size()
		      << " kernel(s))\n";
		write_ktap(o.ktap_path, current);
		if (!o.kcidb_path.empty()) {
			KcidbOptions k{o.artifacts_url, fs::is_directory(paths.front()) ? paths.front() : out};
			ensure_parent_dir(o.kcidb_path);
			write_file_atomic(o.kcidb_path, to_kcidb(current, k).dump(1) + "\n");
			human << "kcidb: " << o.kcidb_path << "\n";
		}
		int rc = 0;
		for (const auto &f : current)
			rc = std::max(rc, f.results.exit_code());
		return rc;
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return kExitConfig;
	}
}

// Also installs the signal handlers the guests' supervision checks.
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

int run_here(const Options &o, const std::vector<Selection> &selection, SubtestContext base,
	     const std::string &tracefs_root)
{
	if (!require_root("it creates namespaces and loads BPF programs"))
		return kExitConfig;
	if (tracefs_root.empty()) {
		std::cerr << "xdplab: tracefs is not mounted (looked in /sys/kernel/tracing and /sys/kernel/debug/tracing);\n"
			     "        ./run.sh mounts it, or: mount -t tracefs tracefs /sys/kernel/tracing\n";
		return kExitConfig;
	}
	base.interruption = Interruption::from_signals();
	// Leftovers of runs that were killed outright (SIGKILL, power loss).
	auto stale = find_leftovers(tracefs_root, false);
	if (!stale.empty()) {
		std::cerr << "xdplab: removing " << stale.size() << " object(s) left by dead runs\n";
		for (const auto &p : remove_leftovers(stale, tracefs_root))
			std::cerr << "xdplab: " << p << "\n";
	}

	RunResults results;
	std::string json_path;
	try {
		// The run's id is chosen under the liveness lock, so that no live run
		// shares its ifindex range (netns/ifindex.h).
		RunLock lock = claim_new_run();
		base.run_id = lock.run_id();
		base.run_tag = static_cast<uint32_t>(std::stoul(base.run_id, nullptr, 16));
		json_path = o.json_path.empty() ? o.results_dir + "/" + base.kernel.release + ".json" : o.json_path;
		if (o.run.keep)
			mark_run_kept(base.run_id);
		PrintkEventRestorer printk_restorer(tracefs_root);
		TraceInstance trace(tracefs_root, trace_instance_name(base.run_id), kTraceEvents);
		TraceCollector collector(trace);
		base.trace = &collector;
		std::unique_ptr<DropWatch> drops;
		try {
			drops = std::make_unique<DropWatch>();
			base.drops = drops.get();
		} catch (const std::exception &e) {
			base.drops_unwatched = e.what(); // frames may then stay unexplained: the evidence says why
		}
		base.caps = probe_capabilities(tracefs_root);
		std::cerr << "xdplab: run " << base.run_id << " on kernel " << base.kernel.release << " ("
			  << base.kernel.version.str() << "), " << base.options.jobs << " subtest(s) at once\n";
		KernelLogWatch kernel_log;
		if (auto log = read_kernel_log(); !log.empty())
			base.kernel_log_from = log.back().seq + 1;
		results = run_experiments(selection, base, std::cerr, &kernel_log);
		for (auto &r : splat_results(kernel_log.finish(), selection))
			results.experiments.push_back(std::move(r));
	} catch (const Interrupted &) {
		std::cerr << "\nxdplab: interrupted; everything this run created has been removed; no results written\n";
		return kExitInterrupted;
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}

	try {
		ensure_parent_dir(json_path);
		write_file_atomic(json_path, to_json(results).dump(2) + "\n");
		if (!o.junit_path.empty()) {
			ensure_parent_dir(o.junit_path);
			write_file_atomic(o.junit_path, to_junit(results));
		}
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}
	std::ostream &human = o.ktap_path == "-" ? std::cerr : std::cout;
	if (!o.quiet)
		print_table(human, results);
	human << "results: " << json_path << (o.junit_path.empty() ? "" : ", " + o.junit_path) << "\n";
	try {
		write_ktap(o.ktap_path, {{json_path, results}});
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}
	return results.exit_code();
}

int list_kernels(const Options &o)
{
	try {
		auto kernels = list_debian_kernels(o.kernel_cache);
		std::cout << "SERIES  UPSTREAM        PACKAGE                                   DEBIAN VERSION          SUITES\n";
		for (const auto &k : kernels) {
			// Which part the archive no longer has, and whether the build still boots with veth.
			std::string note;
			if (!k.missing.empty()) {
				std::string parts;
				for (const auto &m : k.missing)
					parts += (parts.empty() ? "" : ", ") + m;
				note = "  (the archive no longer has " + parts +
				       (lacks_kernel_or_modules(k) ? ": no kernel binary or modules (no veth), not bootable here)"
								   : ": kernel and modules are in the image, bootable)");
			}
			printf("%-7s %-15s %-41s %-23s %s%s\n", kernel_series(k.upstream).c_str(), k.upstream.c_str(),
			       k.package.c_str(), k.version.c_str(), k.suite.c_str(), note.c_str());
		}
		std::cout << std::flush;
		return 0;
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}
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
	if (!fs::is_directory(o.expectations_dir, ec))
		throw ConfigError("--expectations " + o.expectations_dir + ": no such directory");
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

// `bench` on this kernel, or with --kernels/--kernel-image on each of them
// (guests' figures are marked emulated in the report).
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

} // namespace

int main(int argc, char **argv)
{
	Options o;
	CLI::App app{"xdplab: does this kernel still behave the way an XDP program assumes?"};
	app.add_option("experiments", o.selectors, "experiment ids or globs, optionally id/subtest (default: all)");
	app.add_flag("--list", o.list, "list experiments: ids, titles, seed, requirements");
	app.add_flag("--lint", o.lint, "check every expectation file against its experiment, then exit");
	app.add_option("--json", o.json_path, "results file (default: results/<kernel release>.json)");
	app.add_option("--junit", o.junit_path, "also write JUnit XML here");
	app.add_option("--ktap", o.ktap_path, "also write the results as KTAP version 1 here (- for stdout; the table then goes to stderr)");
	app.add_option("--pcap", o.run.pcap_dir, "write each case subtest's frames, sent and captured, as DIR/<id>--<subtest>.pcapng");
	app.add_flag("--explain", o.explain, "print the commands that rebuild each selected topology by hand");
	app.add_flag("--keep", o.run.keep, "leave the topology of each selected subtest up, and say how to remove it");
	app.add_flag("--cleanup", o.cleanup, "remove what killed or kept runs left (harness-named objects only)");
	app.add_option("--packets", o.run.packets, "tagged frames per subtest")->check(CLI::Range(1, 4096));
	app.add_option("-j,--jobs", o.run.jobs, "subtests at once (default: twice the number of cores)")
		->check(CLI::Range(1, 64));
	app.add_option("--settle-ms", o.run.settle_ms,
		       "quiet time after the last frame, only where a subtest measures absence")
		->check(CLI::Range(0, 60000));
	app.add_option("--timeout-ms", o.run.timeout_ms, "how long a subtest's frames may take to be accounted for")
		->check(CLI::Range(100, 600000));
	app.add_option("--expectations", o.expectations_dir, "directory of <id>.json expectation files");
	app.add_option("--results-dir", o.results_dir, "where results, console logs and reports go");
	app.add_flag("--quiet", o.quiet, "no results table (progress still goes to stderr)");
	// One value per occurrence (comma-separated, repeatable): never the positional ids after it.
	app.add_option("--kernels", o.kernels, "kernel matrix: Debian series, exact builds and/or host, e.g. 6.1,6.12.43,host; "
		       "all, lts, newest, boundaries (the builds on either side of every pinned stable boundary)")
		->delimiter(',')
		->allow_extra_args(false);
	app.add_option("--kernel-image", o.kernel_images, "also run in a VM booting this bzImage (repeatable)")
		->allow_extra_args(false);
	app.add_option("--kernel-cache", o.kernel_cache, "where downloaded kernels are unpacked");
	app.add_flag("--list-kernels", o.list_kernels, "list the Debian kernels that can be fetched, with upstream versions");
	app.add_option("--vm-timeout", o.vm_timeout_s, "seconds a guest may take before it counts as hung (default: from the accelerator and the number of subtests)");
	app.add_option("--accel", o.accel, "VM acceleration: auto (probe KVM, fall back to TCG), kvm, tcg")
		->check(CLI::IsMember({"auto", "kvm", "tcg"}));
	app.add_option("--parallel", o.parallel, "VMs at once (default: number of cores)");

	app.add_option("--evidence", o.run.evidence_dir,
		       "write each case subtest's whole evidence (what its jq observations read) into this directory");
	auto *cas = app.add_subcommand("case", "run your own case files: topology, BPF objects, traffic, observations "
					       "and expectations in YAML (README, \"Test your own assumption\")");
	cas->add_option("files", o.case_paths, "case files (.yaml) or directories of them")->required();
	cas->fallthrough(); // --kernels, --json, --explain, --keep, --lint ... as for the catalog
	auto *rep = app.add_subcommand("report", "matrix report from result files (results/report.md, .html, junit)");
	rep->add_option("paths", o.report_paths, "result files or directories (default: results/)");
	rep->add_option("--baseline", o.baseline, "directory of earlier results: list what changed since");
	rep->add_option("--out", o.report_out, "where to write the report (default: the first directory given)");
	rep->add_option("--ktap", o.ktap_path, "also write the results as KTAP version 1 here (- for stdout)");
	rep->add_option("--kcidb", o.kcidb_path, "also write the results as KCIDB I/O JSON (schema v5.3) here");
	rep->add_option("--artifacts-url", o.artifacts_url,
			"the URL the results directory is served at, for the KCIDB file URLs (default: file:// URLs)");
	auto *bis = app.add_subcommand("bisect", "the two adjacent Debian builds whose observations of one subtest first differ");
	bis->add_option("subtest", o.bisect_subtest, "<id>/<subtest>")->required();
	bis->add_option("--case", o.case_paths, "the case file the subtest is in (for your own cases)");
	bis->add_option("--good", o.bisect_good, "a build that behaves the old way: series, exact version or rc")->required();
	bis->add_option("--bad", o.bisect_bad, "a build that behaves the new way: series, exact version or rc")->required();
	bis->fallthrough(); // --json, --kernel-cache, --accel, --vm-timeout, --results-dir as for the matrix
	std::string basis_json;
	bool basis_save = false;
	auto *bas = app.add_subcommand("basis", "for every commit an expectation cites: its mainline release and, per "
						"Debian series, the first build carrying it (read from the packages' changelogs)");
	bas->add_option("--json", basis_json, "also write the JSON here (it always goes to <kernel cache>/basis.json)");
	bas->add_flag("--save", basis_save, "also refresh the snapshot the lint uses on a fresh clone, <expectations>/_basis.json");
	bas->fallthrough(); // --kernel-cache, --expectations
	cost::BenchOptions bench_opts;
	auto *bench = app.add_subcommand("bench", "what each XDP feature costs on this kernel (catalog E)");
	bench->add_option("cases", bench_opts.cases, "cost cases, names or globs (default: all)");
	bench->add_option("--against", bench_opts.against, "measure the same path with another tool too")
		->check(CLI::IsMember({"xdp-bench"}));
	bench->add_option("--repetitions", bench_opts.repetitions,
			  "rounds: every case once per round, in a shuffled order")->check(CLI::Range(5, 100));
	bench->add_option("--cpu", bench_opts.cpu, "the CPU every injection is pinned to (default: the last online CPU)")
		->check(CLI::NonNegativeNumber);
	bench->fallthrough(); // --results-dir, --kernels, --kernel-cache ... as for the catalog
	bench->add_option("--json", bench_opts.json_path, "results file (default: results/<release>-bench.json)");
	o.run.jobs = static_cast<int>(std::max(1u, 2 * std::thread::hardware_concurrency()));
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		int rc = app.exit(e);
		return rc == 0 ? 0 : kExitConfig;
	}
	if (rep->parsed())
		return report(o);
	if (bas->parsed()) {
		if (!require_root("basis reads Debian's packages through the harness's apt under the kernel cache"))
			return kExitConfig;
		try {
			return basis_command(o.expectations_dir, o.kernel_cache, basis_json, basis_save, std::cout, std::cerr);
		} catch (const std::exception &e) {
			std::cerr << "xdplab: basis: " << e.what() << "\n";
			return 2;
		}
	}
	if (bench->parsed())
		return bench_here_or_in_matrix(o, bench_opts);

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
		if (o.lint) {
			auto problems = lint_catalog(catalog);
			std::vector<const ExpectationFile *> files;
			for (const auto &e : catalog)
				files.push_back(&e.expectations);
			size_t warnings = 0;
			for (auto &f : lint_catalog_boundaries(files, o.expectations_dir, o.kernel_cache)) {
				if (f.error)
					problems.push_back(std::move(f.message));
				else
					std::cerr << "xdplab: lint: warning: " << f.message << "\n", ++warnings;
			}
			for (const auto &p : problems)
				std::cerr << "xdplab: lint: " << p << "\n";
			std::cout << "lint: " << catalog.size() << " expectation files, " << problems.size()
				  << " problem(s), " << warnings << " warning(s)\n";
			return problems.empty() ? 0 : kExitConfig;
		}
		if (bis->parsed())
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
