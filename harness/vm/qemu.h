// One guest: qemu-system-x86_64 booting a kernel with the xdplab initramfs.
// Console on ttyS0 (kept as a log), results on ttyS1 (a file of their own).
#pragma once
#include "kernel_images.h"

#include <chrono>
#include <memory>
#include <string>

namespace boost::process {
class child;
}

namespace xdplab {

enum class Accel { Kvm, Tcg };
std::string to_string(Accel a);

struct VmSpec {
	KernelImage kernel;
	std::string initrd;
	std::string console_log; // ttyS0
	std::string serial_out;  // ttyS1: the results block
	Accel accel = Accel::Tcg;
	int memory_mb = 1024;
	int vcpus = 2;
	std::string extra_append; // more kernel command line
};

class VmProcess {
public:
	explicit VmProcess(const VmSpec &spec);
	~VmProcess(); // kills a guest still running
	bool running();
	void kill();
	std::chrono::steady_clock::duration elapsed() const { return std::chrono::steady_clock::now() - started_; }

private:
	std::unique_ptr<boost::process::child> child_;
	std::chrono::steady_clock::time_point started_;
};

// /dev/kvm may exist and still hang (nested virtualisation): boot the guest
// once with KVM in probe mode and see whether it answers within the timeout.
bool kvm_works(const VmSpec &probe_spec, std::chrono::seconds timeout);

} // namespace xdplab
