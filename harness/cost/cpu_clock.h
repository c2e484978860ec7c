// The CPU time one packet path costs, as the kernel accounts it. A live-frame
// test run executes the program, the redirect, the veth transmit and (when
// bottom halves are enabled again after each batch) the peer's NAPI poll with
// its sink, all in the calling thread on its CPU; what the kernel defers runs
// in that CPU's ksoftirqd. So: the calling thread's CPU time, plus the
// ksoftirqd of the CPU it is pinned to, plus that CPU's softirq time when the
// kernel accounts IRQ time apart from tasks (CONFIG_IRQ_TIME_ACCOUNTING).
#pragma once
#include <cstdint>
#include <string>

namespace xdplab::cost {

class PathCpuClock {
public:
	// Pins the calling thread to `cpu` (-1: the CPU it runs on); call from the injecting thread.
	explicit PathCpuClock(int cpu = -1);
	// Nanoseconds of CPU time accounted to the path so far (monotonic).
	uint64_t now_ns() const;
	int cpu() const { return cpu_; }
	// How the time is composed, for the results: e.g. "thread+ksoftirqd/1".
	std::string accounting() const;

private:
	int cpu_ = -1;
	int ksoftirqd_pid_ = -1;
	bool irq_time_separate_ = false;
};

// What the rest of the machine did, from /proc/stat (USER_HZ ticks): the
// steal time of one CPU (the hypervisor running something else on it) and
// the system + irq + softirq time of every other CPU.
struct MachineTime {
	uint64_t steal_ns = 0, others_kernel_ns = 0;
};
MachineTime machine_time(int cpu);

// Whether the running kernel's config has CONFIG_IRQ_TIME_ACCOUNTING=y
// (from /proc/config.gz or /boot/config-<release>); false when unknown.
bool kernel_accounts_irq_time();

} // namespace xdplab::cost
