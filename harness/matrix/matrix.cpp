#include "matrix_steps.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace xdplab {

std::vector<KernelRun> run_matrix(const MatrixOptions &opt, const std::vector<Selection> &selection,
				  std::ostream &progress)
{
	fs::create_directories(opt.results_dir);
	std::vector<KernelRun> runs;
	MatrixArgs args = matrix_args(opt);

	// Every kernel is resolved and fetched before anything runs: a kernel that
	// cannot be had is bad input, found in seconds rather than after the host run.
	std::vector<KernelImage> images = plan_kernel_images(opt, progress);

	// The host kernel first, alone, so that no VM competes with it for the CPU.
	for (const auto &k : opt.kernels)
		if (k == "host")
			runs.push_back(run_host_kernel(opt, args.host, progress));

	if (images.empty())
		return runs;

	GuestPlan plan = guest_plan(opt, args);
	std::vector<Guest> guests;
	// Work directories (initramfs trees) go whatever happens, interruption included.
	GuestCleanup cleanup{guests};
	for (const auto &img : images)
		guests.push_back(prepare_guest(opt, img, plan));
	GuestBoot boot = guest_boot(opt, guests[0], selection, progress);
	run_guests(opt, selection, guests, boot, progress, runs);
	return runs;
}

} // namespace xdplab
