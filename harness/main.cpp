// xdplab: runs XDP/DEVMAP findings as experiments on the running kernel.
//
// Exit codes: 0 nothing deviates or errs, 1 something deviates, 2 something
// errs, 3 bad input or host not ready (nothing ran, no results written),
// 130 interrupted (everything the run created removed, no results written).
#include "../netns/naming.h"
#include "../netns/sweep.h"
#include "probe.h"
#include "runner.h"
#include "tracefs.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#ifndef XDPLAB_SOURCE_DIR
#define XDPLAB_SOURCE_DIR "."
#endif

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void on_signal(int)
{
	g_interrupted = 1;
}

void install_signal_handlers()
{
	struct sigaction sa {};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; // no SA_RESTART: blocking calls return EINTR and we notice
	for (int s : {SIGINT, SIGTERM, SIGHUP})
		sigaction(s, &sa, nullptr);
}

constexpr int kExitConfig = 3;
constexpr int kExitInterrupted = 130;

// The trace events whose lines explain a drop, plus the programs' own printk.
const std::vector<std::string> kTraceEvents = {
	"xdp/xdp_exception",     "xdp/xdp_redirect",        "xdp/xdp_redirect_err", "xdp/xdp_redirect_map",
	"xdp/xdp_redirect_map_err", "xdp/xdp_devmap_xmit", "bpf_trace/bpf_trace_printk",
};

struct RunPidGuard {
	std::string id;
	explicit RunPidGuard(std::string run_id) : id(std::move(run_id)) { xdplab::write_run_pid(id); }
	~RunPidGuard() { xdplab::remove_run_pid(id); }
};

int cleanup(const std::string &tracefs_root)
{
	auto items = xdplab::find_leftovers(tracefs_root, true);
	if (items.empty()) {
		std::cout << "xdplab: nothing left behind by earlier runs\n";
		return 0;
	}
	for (const auto &i : items)
		std::cout << "xdplab: removing " << i.kind << " " << i.name << " (run " << i.run_id << ")\n";
	auto problems = xdplab::remove_leftovers(items, tracefs_root);
	for (const auto &p : problems)
		std::cerr << "xdplab: " << p << "\n";
	return problems.empty() ? 0 : 2;
}

void ensure_parent_dir(const std::string &path)
{
	auto parent = std::filesystem::path(path).parent_path();
	if (!parent.empty())
		std::filesystem::create_directories(parent);
}

} // namespace

int main(int argc, char **argv)
{
	using namespace xdplab;

	CLI::App app{"xdplab: does this kernel still behave the way an XDP program assumes?"};
	std::vector<std::string> selectors;
	std::string json_path, junit_path;
	std::string expectations_dir = std::getenv("XDPLAB_EXPECTATIONS") ? std::getenv("XDPLAB_EXPECTATIONS")
									   : XDPLAB_SOURCE_DIR "/experiments";
	bool list = false, explain = false, keep = false, do_cleanup = false, quiet = false;
	int packets = 32;
	app.add_option("experiments", selectors, "experiment ids or globs, optionally id/subtest (default: all)");
	app.add_flag("--list", list, "list experiments: ids, titles, seed, requirements");
	app.add_option("--json", json_path, "results file (default: results/<kernel release>.json)");
	app.add_option("--junit", junit_path, "also write JUnit XML here");
	app.add_flag("--explain", explain, "print the commands that rebuild each selected topology by hand");
	app.add_flag("--keep", keep, "leave the topology of each selected subtest up, and say how to remove it");
	app.add_flag("--cleanup", do_cleanup, "remove what killed or kept runs left (harness-named objects only)");
	app.add_option("--packets", packets, "tagged frames per subtest")->check(CLI::Range(1, 4096));
	app.add_option("--expectations", expectations_dir, "directory of <id>.json expectation files");
	app.add_flag("--quiet", quiet, "no progress lines");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		int rc = app.exit(e);
		return rc == 0 ? 0 : kExitConfig;
	}

	std::string tracefs_root = find_tracefs();
	if (do_cleanup) {
		if (geteuid() != 0) {
			std::cerr << "xdplab: --cleanup must run as root (sudo ./run.sh --cleanup)\n";
			return kExitConfig;
		}
		return cleanup(tracefs_root);
	}

	std::vector<CatalogEntry> catalog;
	std::vector<Selection> selection;
	try {
		catalog = load_catalog(expectations_dir);
		if (list) {
			print_list(std::cout, catalog);
			return 0;
		}
		selection = select(catalog, selectors);
	} catch (const ConfigError &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return kExitConfig;
	}

	Lab base;
	base.run_id = new_run_id();
	base.run_tag = static_cast<uint32_t>(std::stoul(base.run_id, nullptr, 16));
	base.kernel = running_kernel();
	base.packets = packets;
	base.tracefs_root = tracefs_root;
	base.explain = &std::cout;
	base.check_interrupt = [] {
		if (g_interrupted)
			throw Interrupted();
	};

	if (explain) {
		explain_experiments(selection, base, std::cout);
		return 0;
	}

	if (geteuid() != 0) {
		std::cerr << "xdplab: must run as root: it creates namespaces and loads BPF programs (sudo ./run.sh)\n";
		return kExitConfig;
	}
	if (tracefs_root.empty()) {
		std::cerr << "xdplab: tracefs is not mounted (looked in /sys/kernel/tracing and /sys/kernel/debug/tracing);\n"
			     "        ./run.sh mounts it, or: mount -t tracefs tracefs /sys/kernel/tracing\n";
		return kExitConfig;
	}
	if (json_path.empty())
		json_path = std::string(XDPLAB_SOURCE_DIR) + "/results/" + base.kernel.release + ".json";

	install_signal_handlers();
	// Leftovers of runs that were killed outright (SIGKILL, power loss).
	auto stale = find_leftovers(tracefs_root, false);
	if (!stale.empty()) {
		std::cerr << "xdplab: removing " << stale.size() << " object(s) left by dead runs\n";
		for (const auto &p : remove_leftovers(stale, tracefs_root))
			std::cerr << "xdplab: " << p << "\n";
	}

	RunResults results;
	try {
		RunPidGuard pid_guard(base.run_id);
		if (keep)
			mark_run_kept(base.run_id);
		PrintkEventRestorer printk_restorer(tracefs_root);
		TraceInstance trace(tracefs_root, trace_instance_name(base.run_id), kTraceEvents);
		base.trace = &trace;
		base.caps = probe_capabilities(tracefs_root);
		std::cerr << "xdplab: run " << base.run_id << " on kernel " << base.kernel.release << " ("
			  << base.kernel.version.str() << ")\n";
		RunnerOptions opt;
		opt.packets = packets;
		opt.keep = keep;
		opt.progress = !quiet;
		results = run_experiments(selection, base, opt, std::cerr);
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
		if (!junit_path.empty()) {
			ensure_parent_dir(junit_path);
			write_file_atomic(junit_path, to_junit(results));
		}
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}
	print_table(std::cout, results);
	std::cout << "results: " << json_path << (junit_path.empty() ? "" : ", " + junit_path) << "\n";
	return results.exit_code();
}
