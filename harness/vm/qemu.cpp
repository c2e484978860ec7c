#include "qemu.h"
#include "../file_text.h"

#include "../../netns/command.h"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace bp = boost::process;

namespace xdplab {

std::string to_string(Accel a)
{
	return a == Accel::Kvm ? "kvm" : "tcg";
}

VmProcess::VmProcess(const VmSpec &s) : started_(std::chrono::steady_clock::now())
{
	std::string qemu = find_tool("qemu-system-x86_64");
	if (qemu.empty())
		throw std::runtime_error("qemu-system-x86_64 is not installed (Debian: qemu-system-x86)");
	std::vector<std::string> args = {
		// Two vCPUs, but single-threaded TCG (the vCPUs take turns on one host
		// thread). Multi-threaded TCG crashed guests with "Oops: int3" in
		// just-patched kernel text (netif_rx_internal+0x1b after a static key
		// flip, sched_clock_idle_wakeup_event at boot; 3 of ~20 full-catalog
		// guests): a vCPU ran a stale translation of code another vCPU had
		// rewritten through text_poke_bp(). That is the emulator, not the
		// kernel under test, and it would fail runs at random.
		"-accel", s.accel == Accel::Kvm ? "kvm" : "tcg,thread=single", "-cpu", s.accel == Accel::Kvm ? "host" : "max", "-m",
		std::to_string(s.memory_mb), "-smp", std::to_string(s.vcpus), "-nodefaults", "-display", "none", "-monitor", "none",
		"-no-reboot", "-kernel", s.kernel.bzimage, "-initrd", s.initrd,
		// panic=-1 reboots at once on a panic, and -no-reboot turns that into an exit;
		// loglevel=6 keeps notice-level boot lines, so even a hung guest leaves a log.
		"-append", "console=ttyS0 panic=-1 oops=panic loglevel=6 " + s.extra_append,
		"-serial", "file:" + s.console_log, "-serial", "file:" + s.serial_out};
	// Its own process group, like every tool: on Ctrl-C the harness decides.
	auto own_group = bp::extend::on_exec_setup = [](auto &) { setpgid(0, 0); };
	child_ = std::make_unique<bp::child>(qemu, bp::args(args), bp::std_in < bp::null, bp::std_out > bp::null,
					     bp::std_err > bp::null, own_group);
}

VmProcess::~VmProcess()
{
	kill();
}

bool VmProcess::running()
{
	return child_ && child_->running();
}

void VmProcess::kill()
{
	if (child_ && child_->running()) {
		child_->terminate();
		child_->wait();
	}
}

bool kvm_works(const VmSpec &probe_spec, std::chrono::seconds timeout)
{
	if (access("/dev/kvm", R_OK | W_OK) != 0)
		return false;
	VmSpec s = probe_spec;
	s.accel = Accel::Kvm;
	s.extra_append += " xdplab.probe=1";
	VmProcess vm(s);
	while (vm.running() && vm.elapsed() < timeout)
		std::this_thread::sleep_for(std::chrono::milliseconds(200));
	vm.kill();
	return read_file(s.serial_out).find("XDPLAB-PROBE-OK") != std::string::npos;
}

} // namespace xdplab
