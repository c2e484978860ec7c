// How long things may take inside a guest. Emulated CPUs are slower than the
// host by a factor that depends on the accelerator (KVM: near native; TCG:
// several times slower, more when the guests share the host's cores), so the
// host's per-subtest timings are scaled, and a guest's overall limit grows
// with the number of subtests it runs.
#pragma once
#include "qemu.h"

#include <string>
#include <vector>

namespace xdplab {

struct GuestTiming {
	int settle_ms = 0;    // --settle-ms inside the guest
	int timeout_ms = 0;   // --timeout-ms inside the guest
	int vm_timeout_s = 0; // the whole guest, boot included, before it counts as hung
	int vcpus = 2;        // 1 under TCG (guest_timing.cpp)

	// The harness options that carry the timing into the guest.
	std::vector<std::string> harness_args() const;
};

// host_settle_ms / host_timeout_ms: what the run would use on the host.
GuestTiming guest_timing(Accel accel, int host_settle_ms, int host_timeout_ms, int subtests);

} // namespace xdplab
