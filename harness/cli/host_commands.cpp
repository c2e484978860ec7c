#include "host_commands.h"
#include "../../netns/naming.h"
#include "../../netns/run_liveness.h"
#include "../../netns/sweep.h"
#include "../drop_watch.h"
#include "../engine/probe.h"
#include "../formats/junit.h"
#include "../formats/table.h"
#include "../kernel_log.h"
#include "../trace_collector.h"
#include "../tracefs.h"
#include "exit_codes.h"
#include "inputs.h"
#include "outputs.h"

#include <iostream>
#include <memory>

namespace xdplab::cli {

namespace {

// The trace events whose lines explain a drop, plus the programs' own printk.
const std::vector<std::string> kTraceEvents = {
	"xdp/xdp_exception",        "xdp/xdp_redirect",    "xdp/xdp_redirect_err",       "xdp/xdp_redirect_map",
	"xdp/xdp_redirect_map_err", "xdp/xdp_devmap_xmit", "xdp/xdp_bulk_tx",  "bpf_trace/bpf_trace_printk",
};

} // namespace

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

} // namespace xdplab::cli
