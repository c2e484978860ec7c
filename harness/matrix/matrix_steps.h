// The steps of run_matrix (matrix.cpp), each in a file of its own:
//   matrix_plan.cpp         what every run is told, and the kernels' images
//   matrix_host.cpp         the host kernel's run
//   matrix_guests.cpp       a guest per image: its initramfs, then how to boot them
//   matrix_guest_runs.cpp   the guests running, a few at once, their consoles relayed
//   matrix_results.cpp      a kernel's results: collected, written, summed up
#pragma once
#include "matrix.h"

#include "../vm/guest_timing.h"
#include "../vm/initramfs.h"
#include "../vm/qemu.h"

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

inline long whole_ms(std::chrono::steady_clock::duration d)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// --- Planning ---

// The harness's arguments for the host's run and for a guest's: the same,
// except that a user's cases are where they are on the host and at their
// copies in a guest.
struct MatrixArgs {
	std::vector<std::string> host, guest;
	CaseLayout cases;
};
MatrixArgs matrix_args(const MatrixOptions &opt);

// Every kernel that runs in a guest, resolved and fetched; one that cannot be
// had is a ConfigError.
std::vector<KernelImage> plan_kernel_images(const MatrixOptions &opt, std::ostream &progress);

// What goes into every guest's initramfs.
GuestPlan guest_plan(const MatrixOptions &opt, const MatrixArgs &args);

// --- The host ---

KernelRun run_host_kernel(const MatrixOptions &opt, const std::vector<std::string> &host_args,
			  std::ostream &progress);

// --- The guests ---

struct Guest {
	KernelImage kernel;
	std::string work_dir, initrd, console_log, serial_out;
	std::unique_ptr<VmProcess> vm;
	size_t console_seen = 0;
	bool done = false;
	KernelRun run;
};

// Kills the guests still running and removes every work directory
// (initramfs trees), whatever happens, interruption included.
struct GuestCleanup {
	std::vector<Guest> &guests;
	~GuestCleanup();
};

// A guest's work directory and initramfs for one image; nothing runs yet.
Guest prepare_guest(const MatrixOptions &opt, const KernelImage &img, const GuestPlan &plan);

// How every guest boots: the accelerator and the timing it needs.
struct GuestBoot {
	Accel accel = Accel::Tcg;
	GuestTiming timing;
	std::string kernel_append; // the timing, on the guest's command line
};
GuestBoot guest_boot(const MatrixOptions &opt, const Guest &probe, const std::vector<Selection> &selection,
		     std::ostream &progress);

// Boots the guests, opt.parallel (or a core each) at a time, until every one
// has ended or hung; each kernel's run is appended to runs as it ends.
void run_guests(const MatrixOptions &opt, const std::vector<Selection> &selection, std::vector<Guest> &guests,
		const GuestBoot &boot, std::ostream &progress, std::vector<KernelRun> &runs);

// --- Results ---

// An ended guest's results; those of results_for_dead_guest when it sent
// none (g.run.guest_failed then).
RunResults collect_guest_results(Guest &g, bool timed_out, const GuestBoot &boot,
				 const std::vector<Selection> &selection);

// <results_dir>/<release><suffix>.json, named in run.results_file.
void write_kernel_results(const MatrixOptions &opt, const RunResults &r, KernelRun &run);

// The progress line of an ended guest's kernel.
void report_guest_done(std::ostream &progress, const Guest &g, const RunResults &r, size_t kernels_left);

} // namespace xdplab
