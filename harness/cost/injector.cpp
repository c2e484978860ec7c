#include "injector.h"

#include "../../netns/netns_scope.h"
#include "../frame.h"
#include "cpu_clock.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <system_error>
#include <thread>

namespace xdplab::cost {

namespace {

uint64_t wall_ns()
{
	return static_cast<uint64_t>(
		std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
			.count());
}

// One live-frame test run of `count` frames built from `frame`.
int test_run(int prog_fd, int ingress_ifindex, const std::vector<uint8_t> &frame, uint32_t count)
{
	xdp_md ctx{};
	ctx.data_end = static_cast<__u32>(frame.size()); // the kernel insists: no data before data
	ctx.ingress_ifindex = static_cast<__u32>(ingress_ifindex);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(), .data_size_in = static_cast<__u32>(frame.size()),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = static_cast<int>(count),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = kBatchSize);
	return bpf_prog_test_run_opts(prog_fd, &opts) ? errno : 0;
}

std::vector<uint8_t> frame_for(const Injection &inj, uint32_t seq)
{
	FrameSpec spec = tagged_frame_spec(inj.run_tag, inj.case_id);
	spec.seq = seq;
	return build_frame(spec);
}

void run_injection(const Injection &inj, InjectionResult &out)
{
	NetnsScope scope(inj.ns);
	PathCpuClock clock(inj.cpu);
	out.cpu_accounting = clock.accounting();
	out.cpu = clock.cpu();

	// Calibration: also warms the page pool path and the caches.
	const uint32_t calibration = 1u << 15;
	uint64_t t0 = wall_ns();
	if (int err = test_run(inj.prog_fd, inj.ingress_ifindex, frame_for(inj, 0), calibration))
		throw std::system_error(err, std::generic_category(), "BPF_PROG_TEST_RUN (live frames)");
	uint64_t took = std::max<uint64_t>(1, wall_ns() - t0);
	out.injected += calibration;
	double per_frame = static_cast<double>(took) / calibration;
	out.per_repetition = std::clamp<uint64_t>(static_cast<uint64_t>(inj.target_rep_ns / per_frame), 1u << 14,
						  1u << 24);
	// Whole batches: a batch's frames share one flush.
	out.per_repetition -= out.per_repetition % kBatchSize;

	for (int rep = 0; rep < inj.repetitions; ++rep) {
		inj.interruption.check();
		inj.on_repetition(rep);
		std::vector<uint8_t> frame = frame_for(inj, static_cast<uint32_t>(rep + 1));
		MachineTime m0 = machine_time(clock.cpu());
		uint64_t cpu0 = clock.now_ns(), w0 = wall_ns();
		int err = test_run(inj.prog_fd, inj.ingress_ifindex, frame, static_cast<uint32_t>(out.per_repetition));
		uint64_t w1 = wall_ns(), cpu1 = clock.now_ns();
		MachineTime m1 = machine_time(clock.cpu());
		if (err)
			throw std::system_error(err, std::generic_category(), "BPF_PROG_TEST_RUN (live frames)");
		out.injected += out.per_repetition;
		out.samples.push_back({.packets = out.per_repetition, .wall_ns = w1 - w0, .cpu_ns = cpu1 - cpu0,
				       .steal_ns = m1.steal_ns - m0.steal_ns,
				       .others_kernel_ns = m1.others_kernel_ns - m0.others_kernel_ns});
	}
}

} // namespace

InjectionResult inject(const Injection &inj)
{
	InjectionResult out;
	std::exception_ptr failure;
	// A thread of its own: the pinning and the namespace stay with it, and
	// tools the bench starts later do not inherit them.
	std::thread worker([&] {
		try {
			run_injection(inj, out);
		} catch (...) {
			failure = std::current_exception();
		}
	});
	worker.join();
	if (failure)
		std::rethrow_exception(failure);
	return out;
}

std::optional<std::string> probe_live_frames(const Injection &inj)
{
	int err = 0;
	std::thread probe([&] {
		NetnsScope scope(inj.ns);
		err = test_run(inj.prog_fd, inj.ingress_ifindex, frame_for(inj, 0), 1);
	});
	probe.join();
	if (!err)
		return std::nullopt;
	return std::string("BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES refused (") + strerror(err) +
	       "): live frames are 5.18+";
}

} // namespace xdplab::cost
