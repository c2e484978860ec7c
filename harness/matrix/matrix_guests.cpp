// Preparing the guests: a work directory and an initramfs per kernel image,
// then how they all boot (the accelerator, and the timing that follows).
#include "matrix_steps.h"

#include "../../netns/command.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

namespace fs = std::filesystem;

namespace xdplab {

GuestCleanup::~GuestCleanup()
{
	for (auto &x : guests) {
		if (x.vm)
			x.vm->kill();
		std::error_code ec;
		fs::remove_all(x.work_dir, ec);
	}
}

Guest prepare_guest(const MatrixOptions &opt, const KernelImage &img, const GuestPlan &plan)
{
	Guest g;
	g.kernel = img;
	std::string safe = std::regex_replace(img.label, std::regex("[^A-Za-z0-9._-]"), "_");
	g.work_dir = opt.cache_dir + "/work-" + safe + "-" + std::to_string(getpid());
	fs::create_directories(g.work_dir);
	g.initrd = build_initramfs(img, plan, g.work_dir);
	if (!opt.replacement_init.empty()) {
		// A test's /init in place of the harness's, appended to the archive (the last one wins).
		std::string dir = g.work_dir + "/replacement";
		fs::create_directories(dir);
		std::ofstream(dir + "/init") << opt.replacement_init;
		fs::permissions(dir + "/init", fs::perms::owner_all);
		run_checked({"sh", "-c", "cd \"$0\" && echo init | cpio -o -H newc --quiet >> \"$1\"", dir, g.initrd});
	}
	g.console_log = opt.results_dir + "/console-" + safe + ".log";
	g.serial_out = g.work_dir + "/results.serial";
	g.run.label = img.label;
	g.run.console_log = g.console_log;
	return g;
}

GuestBoot guest_boot(const MatrixOptions &opt, const Guest &probe, const std::vector<Selection> &selection,
		     std::ostream &progress)
{
	GuestBoot boot;
	if (opt.accel == "kvm") {
		boot.accel = Accel::Kvm;
	} else if (opt.accel == "auto") {
		VmSpec spec{probe.kernel, probe.initrd, probe.work_dir + "/probe-console.log",
			    probe.work_dir + "/probe.serial"};
		progress << "== probing KVM (bounded test boot)\n" << std::flush;
		boot.accel = kvm_works(spec, std::chrono::seconds(15)) ? Accel::Kvm : Accel::Tcg;
		progress << "   using " << to_string(boot.accel)
			 << (boot.accel == Accel::Tcg ? " (KVM absent or not answering: software emulation)" : "") << "\n";
	}

	int subtests = 0;
	for (const auto &sel : selection)
		subtests += static_cast<int>(sel.subtests.size());
	boot.timing = guest_timing(boot.accel, opt.settle_ms, opt.timeout_ms, subtests);
	if (opt.vm_timeout_s > 0)
		boot.timing.vm_timeout_s = opt.vm_timeout_s;
	boot.kernel_append = "xdplab.args=";
	for (const auto &a : boot.timing.harness_args())
		boot.kernel_append += (boot.kernel_append.back() == '=' ? "" : ",") + a;
	progress << "   guests: " << boot.timing.vcpus << " vCPUs, --settle-ms " << boot.timing.settle_ms
		 << " --timeout-ms " << boot.timing.timeout_ms << ", hung after " << boot.timing.vm_timeout_s << " s\n";
	return boot;
}

} // namespace xdplab
