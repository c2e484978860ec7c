#include "guest_timing.h"

#include <algorithm>

namespace xdplab {

std::vector<std::string> GuestTiming::harness_args() const
{
	return {"--settle-ms", std::to_string(settle_ms), "--timeout-ms", std::to_string(timeout_ms)};
}

GuestTiming guest_timing(Accel accel, int host_settle_ms, int host_timeout_ms, int subtests)
{
	// Factors measured on a 2-core host: under TCG a subtest's frames took up
	// to ~6x as long as on the host to be accounted for, under KVM ~1.5x.
	// The settle time (absence) scales less than the timeout (presence),
	// which only costs when something is lost.
	struct Scale {
		int settle, timeout, boot_s, per_subtest_s;
	};
	const Scale s = accel == Accel::Kvm ? Scale{2, 4, 60, 2} : Scale{5, 10, 180, 10};
	GuestTiming t;
	// Under TCG the vCPUs take turns on one host thread (qemu.cpp): a second
	// one adds no parallelism, only emulated IPIs and cross-CPU RCU work
	// (README, "Guests": the catalog in a 6.12 guest, two against one).
	// KVM gives each vCPU a core of its own.
	t.vcpus = accel == Accel::Kvm ? 2 : 1;
	t.settle_ms = host_settle_ms * s.settle;
	t.timeout_ms = std::min(600000, host_timeout_ms * s.timeout);
	t.vm_timeout_s = s.boot_s + s.per_subtest_s * std::max(1, subtests);
	return t;
}

} // namespace xdplab
