// Deterministic injection for the cost bench: BPF_PROG_TEST_RUN with
// BPF_F_TEST_XDP_LIVE_FRAMES (5.18+), whose frames really leave through
// XDP_TX / XDP_REDIRECT (or reach the stack on XDP_PASS), from a thread
// pinned to one CPU and entered into the bench's namespace.
#pragma once
#include "../interruption.h"
#include "figures.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace xdplab::cost {

struct Injection {
	int prog_fd = -1;
	std::string ns;            // where ingress_ifindex is resolved
	int ingress_ifindex = 0;
	uint32_t run_tag = 0, case_id = 0;
	int repetitions = 5;
	int cpu = -1; // the CPU the injecting thread is pinned to; -1: where it starts
	uint64_t target_rep_ns = 150000000; // each repetition's length, after a calibration run
	Interruption interruption;
	std::function<void(int rep)> on_repetition = [](int) {};
};

struct InjectionResult {
	std::vector<Sample> samples;
	uint64_t injected = 0;   // every frame, the calibration run's included
	uint64_t per_repetition = 0;
	std::string cpu_accounting;
	int cpu = -1;
};

// Frames per test-run batch: the kernel's default, and what xdp-trafficgen uses.
constexpr uint32_t kBatchSize = 64;

// Runs the injection on a thread of its own (pinned, in `ns`). Each
// repetition is one test run with a freshly built tagged frame (sequence =
// repetition): the kernel initialises a live frame's page from it once and
// recycles the page with whatever a program wrote.
// Throws std::system_error with the test run's errno.
InjectionResult inject(const Injection &inj);

// Whether live frames work here: one tagged frame through inj's program (one
// that drops it). nullopt when they do, else why not.
std::optional<std::string> probe_live_frames(const Injection &inj);

} // namespace xdplab::cost
