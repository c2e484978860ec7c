// A kernel's results: taken from its guest (or, when it sent none, one
// `error` per subtest, never an empty green), written to its results file,
// and summed up on the progress line.
#include "matrix_steps.h"

#include "../file_text.h"
#include "../kernel_log.h"

#include <regex>
#include <sstream>

namespace xdplab {

namespace {

std::string tail_lines(const std::string &text, size_t n)
{
	std::vector<std::string> lines;
	std::istringstream in(text);
	std::string l;
	while (std::getline(in, l)) {
		if (!l.empty() && l.back() == '\r')
			l.pop_back();
		lines.push_back(l);
	}
	std::string out;
	for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
		out += lines[i] + "\n";
	return out;
}

// The release a guest reported on its console, or one derived from the package.
std::string guest_release(const std::string &console, const KernelImage &k)
{
	static const std::regex line(R"(guest: kernel (\S+))");
	std::smatch m;
	if (std::regex_search(console, m, line))
		return m[1];
	if (k.package.rfind("linux-image-", 0) == 0)
		return k.package.substr(std::string("linux-image-").size());
	return k.label;
}

} // namespace

RunResults results_for_dead_guest(const std::string &release, const std::vector<Selection> &selection,
				  const std::string &why, const std::string &console_log)
{
	RunResults r;
	r.kernel.release = release;
	r.kernel.version = parse_kernel_version(release).value_or(KernelVersion{});
	r.started = iso8601_now();
	std::string console = read_file(console_log), tail = tail_lines(console, 40);
	json splats = json::array();
	for (const auto &sp : find_splats(console))
		splats.push_back({{"first_line", sp.first_line}, {"after", sp.after}, {"report", sp.context}});
	auto error = [&](const std::string &id, const std::string &sub) {
		SubtestResult s;
		s.id = id;
		s.subtest = sub;
		s.verdict = Verdict::Error;
		s.reason = why;
		s.evidence = {{"console_log", console_log}, {"console_tail", tail}, {"splats", splats}};
		r.experiments.push_back(s);
	};
	for (const auto &sel : selection)
		for (const auto &sub : sel.subtests)
			error(sel.entry->expectations.id, sub);
	if (r.experiments.empty()) // a run of no experiments (the bench): still never an empty green
		error("kernel", "guest");
	return r;
}

RunResults collect_guest_results(Guest &g, bool timed_out, const GuestBoot &boot,
				 const std::vector<Selection> &selection)
{
	std::string release = guest_release(read_file(g.console_log), g.kernel);
	RunResults r;
	int guest_exit = -1;
	try {
		if (timed_out)
			throw std::runtime_error("the guest did not finish within " +
						 std::to_string(boot.timing.vm_timeout_s) + " s");
		GuestResults gr = decode_results_block(read_file(g.serial_out));
		r = results_from_json(json::parse(gr.json_text));
		guest_exit = gr.exit_code;
	} catch (const std::exception &e) {
		r = results_for_dead_guest(release, selection,
					   "VM for kernel " + g.kernel.label + " gave no results: " + e.what() +
						   " (console log: " + g.console_log + ")",
					   g.console_log);
		g.run.guest_failed = true;
	}
	r.runner = {{"kind", "vm"},
		    {"guest_exit_code", guest_exit}, // the harness's own in the guest; -1 when it sent nothing
		    {"accel", to_string(boot.accel)},
		    {"image", g.kernel.bzimage},
		    {"package", g.kernel.package},
		    {"version", g.kernel.version},
		    {"console_log", g.console_log},
		    {"vcpus", boot.timing.vcpus},
		    {"wall_ms", g.run.wall_ms}};
	return r;
}

void write_kernel_results(const MatrixOptions &opt, const RunResults &r, KernelRun &run)
{
	run.results_file = opt.results_dir + "/" + r.kernel.release + opt.results_suffix + ".json";
	write_file_atomic(run.results_file, to_json(r).dump(2) + "\n");
}

void report_guest_done(std::ostream &progress, const Guest &g, const RunResults &r, size_t kernels_left)
{
	Summary s = r.summary();
	progress << "== kernel " << g.kernel.label << " (" << r.kernel.release << "): "
		 << (g.run.guest_failed ? "GUEST FAILED" : "done") << " in " << g.run.wall_ms / 1000
		 << " s: " << s.confirmed << " confirmed, " << s.deviates << " deviates, " << s.unpinned
		 << " unpinned, " << s.skipped << " skipped, " << s.error << " error; " << kernels_left
		 << " kernel(s) left\n"
		 << std::flush;
}

} // namespace xdplab
