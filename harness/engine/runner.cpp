// Running the selected subtests several at once, with a progress line for
// each as it ends, and gathering their results in the selection's order.
#include "runner_jobs.h"

#include "../case/jq_observations.h"
#include "../kernel_log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace xdplab {

namespace {

long ms_since(std::chrono::steady_clock::time_point t)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

RunResults run_experiments(const std::vector<Selection> &selection, const SubtestContext &base,
			   std::ostream &progress, KernelLogWatch *kernel_log)
{
	RunResults results;
	results.kernel = base.kernel;
	results.started = iso8601_now();
	auto run_start = std::chrono::steady_clock::now();
	const std::vector<SubtestJob> jobs = subtest_jobs(selection);
	// libbpf-free and slow (~0.3 s): the observations compile while the first topologies are built.
	std::thread compile_observations(ObservationProgram::compile_registered);
	std::vector<SubtestResult> done(jobs.size());
	std::atomic<size_t> next{0};
	std::atomic<bool> interrupted{false};
	std::mutex progress_mu;
	size_t finished = 0;

	auto worker = [&] {
		for (size_t i; !interrupted && (i = next++) < jobs.size();) {
			SubtestContext ctx = base;
			ctx.case_id = jobs[i].case_id;
			const std::string name = jobs[i].entry->experiment->id() + "/" + jobs[i].subtest;
			if (kernel_log)
				kernel_log->started(name);
			auto t0 = std::chrono::steady_clock::now();
			try {
				done[i] = run_subtest(jobs[i], ctx);
			} catch (const Interrupted &) {
				interrupted = true;
				return;
			}
			if (kernel_log)
				kernel_log->ended(name);
			done[i].duration_ms = ms_since(t0);
			std::lock_guard<std::mutex> lock(progress_mu);
			progress << "[" << ++finished << "/" << jobs.size() << "] " << done[i].id << "/" << done[i].subtest
				 << " ... " << to_string(done[i].verdict) << " (" << done[i].duration_ms << " ms)\n"
				 << std::flush;
		}
	};
	size_t n = std::min<size_t>(jobs.size(), static_cast<size_t>(std::max(1, base.options.jobs)));
	std::vector<std::thread> workers;
	for (size_t i = 1; i < n; ++i)
		workers.emplace_back(worker);
	worker();
	for (auto &t : workers)
		t.join();
	compile_observations.join();
	if (interrupted)
		throw Interrupted();
	std::vector<size_t> order(jobs.size());
	for (size_t i = 0; i < order.size(); ++i)
		order[i] = i;
	std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return jobs[a].case_id < jobs[b].case_id; });
	for (size_t i : order)
		results.experiments.push_back(std::move(done[i]));
	results.duration_ms = ms_since(run_start);
	results.catalog = json::object();
	for (const auto &sel : selection)
		results.catalog[sel.entry->expectations.id] = sel.entry->expectations.document;
	return results;
}

} // namespace xdplab
