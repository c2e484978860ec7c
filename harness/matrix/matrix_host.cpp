// The host kernel's run: this harness again, as a child process, its results
// file taken into the matrix.
#include "matrix_steps.h"

#include "../file_text.h"

#include <boost/process.hpp>

#include <filesystem>

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace xdplab {

KernelRun run_host_kernel(const MatrixOptions &opt, const std::vector<std::string> &host_args,
			  std::ostream &progress)
{
	KernelRun run{"host", "", "", "host"};
	std::string json = opt.results_dir + "/host.json.partial";
	std::vector<std::string> args = host_args;
	args.insert(args.end(), {"--json", json, "--expectations", opt.expectations_dir});
	progress << "== kernel host: running on this machine\n" << std::flush;
	auto t0 = std::chrono::steady_clock::now();
	bp::child c(opt.self_exe, bp::args(args), bp::std_out > bp::null);
	c.wait();
	opt.interruption.check(); // Ctrl-C reached the host run too, which cleaned up and stopped
	run.wall_ms = whole_ms(std::chrono::steady_clock::now() - t0);
	if (!fs::exists(json))
		throw std::runtime_error("the host run wrote no results (exit " + std::to_string(c.exit_code()) + ")");
	RunResults r = results_from_json(json::parse(read_file(json)));
	r.runner = {{"kind", "host"}};
	write_kernel_results(opt, r, run);
	fs::remove(json);
	progress << "== kernel host (" << r.kernel.release << "): done in " << run.wall_ms / 1000 << " s\n";
	return run;
}

} // namespace xdplab
