#include "bench_command.h"

#include "../../netns/naming.h"
#include "../../netns/sweep.h"
#include "../results.h"
#include "../subtest_context.h"
#include "benchmarks.h"
#include "runner.h"
#include "xdp_bench.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace xdplab::cost {

namespace fs = std::filesystem;

namespace {

long elapsed_ms(std::chrono::steady_clock::time_point since)
{
	return static_cast<long>(
		std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count());
}

std::vector<CaseOutcome> run_cases(CostRunner &runner, const std::vector<CostCase> &cases)
{
	std::vector<CaseOutcome> outcomes;
	auto why_not = runner.probe();
	uint32_t case_id = 1;
	for (const auto &c : cases) {
		if (why_not) {
			outcomes.push_back({.c = c, .status = "skipped", .reason = *why_not});
			continue;
		}
		try {
			outcomes.push_back(runner.run(c, case_id++));
		} catch (const Interrupted &) {
			throw;
		} catch (const std::exception &e) {
			outcomes.push_back({.c = c, .status = "error", .reason = e.what()});
		}
	}
	if (isatty(STDERR_FILENO))
		std::cerr << "\r\033[K";
	return outcomes;
}

} // namespace

int run_bench(const BenchOptions &o, const std::string &tracefs_root)
{
	std::vector<CostCase> cases;
	try {
		cases = select_cost_cases(o.cases);
	} catch (const std::invalid_argument &e) {
		std::cerr << "xdplab: bench: " << e.what() << "\n";
		return 3;
	}
	auto stale = find_leftovers(tracefs_root, false);
	if (!stale.empty())
		for (const auto &p : remove_leftovers(stale, tracefs_root))
			std::cerr << "xdplab: " << p << "\n";

	auto start = std::chrono::steady_clock::now();
	RunResults results;
	results.kernel = running_kernel();
	results.started = iso8601_now();
	std::string json_path =
		o.json_path.empty() ? o.results_dir + "/" + results.kernel.release + "-bench.json" : o.json_path;
	try {
		RunLock lock = claim_new_run();
		uint32_t run_tag = static_cast<uint32_t>(std::stoul(lock.run_id(), nullptr, 16));
		std::cerr << "xdplab: bench run " << lock.run_id() << " on kernel " << results.kernel.release << ", "
			  << cases.size() << " case(s), " << o.repetitions << " repetitions each\n";
		CostTopology topo(lock.run_id(), run_tag);
		std::vector<CaseOutcome> outcomes;
		json anchor;
		std::vector<std::string> problems;
		try {
			CostRunner runner(topo, run_tag,
					  {.repetitions = o.repetitions, .check_interrupt = o.check_interrupt,
					   .progress = &std::cerr});
			outcomes = run_cases(runner, cases);
			if (o.against == "xdp-bench")
				anchor = run_xdp_bench_anchor(topo, run_tag, o.repetitions, o.kernel_cache,
							      o.check_interrupt);
		} catch (...) {
			topo.teardown();
			throw;
		}
		problems = topo.teardown();
		std::string accounting;
		for (const auto &c : outcomes)
			if (!c.cpu_accounting.empty())
				accounting = c.cpu_accounting;
		results.benchmarks = benchmarks_json(outcomes, accounting);
		if (!anchor.is_null())
			results.benchmarks["anchor"] = anchor;
		for (const auto &p : problems) {
			std::cerr << "xdplab: " << p << "\n";
			results.benchmarks["teardown_problems"].push_back(p);
		}
	} catch (const Interrupted &) {
		std::cerr << "\nxdplab: interrupted; everything this bench created has been removed; no results written\n";
		return 130;
	} catch (const std::exception &e) {
		std::cerr << "\nxdplab: bench: " << e.what() << "\n";
		return 2;
	}
	results.duration_ms = elapsed_ms(start);

	fs::path parent = fs::path(json_path).parent_path();
	if (!parent.empty())
		fs::create_directories(parent);
	write_file_atomic(json_path, to_json(results).dump(2) + "\n");
	print_bench_table(std::cout, results.benchmarks);
	std::cout << "cpu time: " << results.benchmarks.value("cpu_accounting", "") << "; whole bench "
		  << results.duration_ms / 1000.0 << " s\nresults: " << json_path << "\n";
	return results.exit_code();
}

} // namespace xdplab::cost
