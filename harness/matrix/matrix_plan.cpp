// Planning a matrix: what every run is told, and the kernels' images, all
// fetched before anything runs.
#include "matrix_steps.h"

namespace xdplab {

MatrixArgs matrix_args(const MatrixOptions &opt)
{
	MatrixArgs args;
	args.host = opt.selectors;
	args.host.insert(args.host.end(), opt.harness_args.begin(), opt.harness_args.end());
	args.host.insert(args.host.end(), opt.subcommand.begin(), opt.subcommand.end());
	// A user's cases: the host runs them where they are, guests from their copies.
	args.guest = args.host;
	args.cases = case_layout(opt.case_files);
	if (!opt.case_files.empty()) {
		args.host.push_back("case");
		args.host.insert(args.host.end(), opt.case_files.begin(), opt.case_files.end());
		args.guest.push_back("case");
		args.guest.insert(args.guest.end(), args.cases.guest_cases.begin(), args.cases.guest_cases.end());
	}
	return args;
}

std::vector<KernelImage> plan_kernel_images(const MatrixOptions &opt, std::ostream &progress)
{
	std::vector<KernelImage> images;
	for (const auto &k : opt.kernels)
		if (k != "host") {
			progress << "== kernel " << k << ": fetching the Debian image\n" << std::flush;
			try {
				images.push_back(fetch_debian_kernel(k, opt.cache_dir));
			} catch (const std::exception &e) {
				throw ConfigError("kernel " + k + ": " + e.what());
			}
			progress << "   " << images.back().package << " -> " << images.back().bzimage << "\n";
		}
	for (const auto &p : opt.kernel_images) {
		try {
			images.push_back(user_kernel(p));
		} catch (const std::exception &e) {
			throw ConfigError("kernel image " + p + ": " + e.what());
		}
	}
	images.insert(images.end(), opt.fetched_images.begin(), opt.fetched_images.end());
	return images;
}

GuestPlan guest_plan(const MatrixOptions &opt, const MatrixArgs &args)
{
	GuestPlan plan;
	plan.harness_binary = opt.self_exe;
	plan.expectations_dir = opt.expectations_dir;
	plan.harness_args = args.guest;
	plan.extra_files = args.cases.files;
	return plan;
}

} // namespace xdplab
