#include "bench_command.h"

#include "../../netns/naming.h"
#include "../../netns/run_liveness.h"
#include "../../netns/sweep.h"
#include "../results.h"
#include "../subtest_context.h"
#include "benchmarks.h"
#include "runner.h"
#include "xdp_bench.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace xdplab::cost {

namespace fs = std::filesystem;

namespace {

long elapsed_ms(std::chrono::steady_clock::time_point since)
{
	return static_cast<long>(
		std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count());
}

// Removes the bench's veths, keeping what the removal reports for the results.
void tear_down(CostTopology &topo, std::vector<std::string> &problems)
{
	for (const auto &p : topo.teardown())
		problems.push_back(p);
}

// One round runs every case once, in an order shuffled per round: a feature
// and its base are measured moments apart, in the same state of the machine,
// round after round, and no case always follows the same one. A case's
// repetitions are its rounds; each starts with its own warm-up (the calibration
// run of the injection).
std::vector<CaseOutcome> run_rounds(const std::string &run_id, uint32_t run_tag, const CostRunOptions &options,
				    const std::vector<CostCase> &cases, int rounds,
				    std::vector<std::vector<std::string>> &orders, std::vector<std::string> &problems)
{
	std::vector<CaseOutcome> outcomes;
	std::optional<std::string> why_not;
	{
		CostTopology topo(run_id, run_tag);
		why_not = CostRunner(topo, run_tag, options).probe();
		tear_down(topo, problems);
	}
	for (const auto &c : cases)
		outcomes.push_back({.c = c, .status = why_not ? "skipped" : "measured", .reason = why_not.value_or("")});
	if (why_not)
		return outcomes;
	std::mt19937 shuffle(run_tag);
	std::vector<size_t> order(cases.size());
	for (size_t i = 0; i < order.size(); ++i)
		order[i] = i;
	for (int round = 0; round < rounds; ++round) {
		// Every round on veths of its own: what a topology fixes for its
		// lifetime (where its devices and rings sit in memory) then varies
		// between rounds as it does between runs, and the rounds' spread,
		// with the band taken from it, includes it.
		CostTopology topo(run_id, run_tag);
		CostRunner runner(topo, run_tag, options);
		std::shuffle(order.begin(), order.end(), shuffle);
		orders.emplace_back();
		for (size_t i : order) {
			CaseOutcome &o = outcomes[i];
			orders.back().push_back(o.c.name);
			if (o.status != "measured")
				continue; // a case that failed once is not measured again
			if (isatty(STDERR_FILENO))
				std::cerr << "\r\033[Kbench: round " << round + 1 << "/" << rounds << ", " << o.c.name << std::flush;
			try {
				CaseOutcome one = runner.run(o.c, static_cast<uint32_t>(i + 1));
				for (auto s : one.samples) {
					s.round = round;
					o.samples.push_back(s);
				}
				o.injected += one.injected;
				o.delivered += one.delivered;
				o.expected_delivered += one.expected_delivered;
				o.per_repetition = one.per_repetition;
				o.cpu = one.cpu;
				o.cpu_accounting = one.cpu_accounting;
				if (one.status != "measured") {
					o.status = one.status;
					o.reason = "round " + std::to_string(round + 1) + ": " + one.reason;
				}
			} catch (const Interrupted &) {
				throw;
			} catch (const std::exception &e) {
				o.status = "error";
				o.reason = "round " + std::to_string(round + 1) + ": " + e.what();
			}
		}
		tear_down(topo, problems);
		if (!isatty(STDERR_FILENO))
			std::cerr << "bench: round " << round + 1 << "/" << rounds << " done\n";
	}
	// Figures from the rounds the machine was in its fast state; a disturbed
	// round is kept in the results, marked, and left out of every figure.
	std::vector<bool> disturbed = disturbed_rounds(rounds_by_case(outcomes, false));
	disturbed.resize(static_cast<size_t>(rounds), false);
	for (auto &o : outcomes) {
		if (o.status != "measured")
			continue;
		std::vector<Sample> kept;
		for (auto &s : o.samples) {
			s.disturbed = disturbed[static_cast<size_t>(s.round)];
			if (!s.disturbed)
				kept.push_back(s);
		}
		if (kept.size() < 3) {
			o.status = "unstable";
			o.reason = std::to_string(o.samples.size() - kept.size()) + " of " + std::to_string(o.samples.size()) +
				   " rounds ran while the machine was in its slow state: no figure";
			continue;
		}
		o.figures = figures_of(kept);
	}
	if (isatty(STDERR_FILENO))
		std::cerr << "\r\033[K";
	return outcomes;
}

int default_cpu()
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? static_cast<int>(n - 1) : 0;
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
			  << cases.size() << " case(s) in " << o.repetitions << " rounds (every case once per round)\n";
		const int cpu = o.cpu >= 0 ? o.cpu : default_cpu();
		std::vector<std::vector<std::string>> orders;
		std::vector<std::string> problems;
		std::vector<CaseOutcome> outcomes =
			run_rounds(lock.run_id(), run_tag, {.repetitions = 1, .cpu = cpu, .interruption = o.interruption},
				   cases, o.repetitions, orders, problems);
		json anchor;
		if (o.against == "xdp-bench") {
			CostTopology topo(lock.run_id(), run_tag);
			anchor = run_xdp_bench_anchor(topo, run_tag, o.repetitions, cpu, o.kernel_cache, o.interruption);
			tear_down(topo, problems);
		}
		std::string accounting;
		for (const auto &c : outcomes)
			if (!c.cpu_accounting.empty())
				accounting = c.cpu_accounting;
		results.benchmarks = benchmarks_json(outcomes, accounting);
		results.benchmarks["cpu"] = cpu;
		results.benchmarks["rounds"] = orders;
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
