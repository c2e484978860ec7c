#include "matrix.h"
#include "../file_text.h"

#include "../../netns/command.h"
#include "../vm/guest_timing.h"
#include "../vm/initramfs.h"
#include "../vm/qemu.h"
#include "../kernel_log.h"

#include <boost/process.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace bp = boost::process;
namespace fs = std::filesystem;

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

long ms(std::chrono::steady_clock::duration d)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

struct Guest {
	KernelImage kernel;
	std::string work_dir, initrd, console_log, serial_out;
	std::unique_ptr<VmProcess> vm;
	size_t console_seen = 0;
	bool done = false;
	KernelRun run;
};


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

std::vector<KernelRun> run_matrix(const MatrixOptions &opt, const std::vector<Selection> &selection,
				  std::ostream &progress)
{
	fs::create_directories(opt.results_dir);
	std::vector<KernelRun> runs;
	std::vector<std::string> run_args = opt.selectors;
	run_args.insert(run_args.end(), opt.harness_args.begin(), opt.harness_args.end());
	run_args.insert(run_args.end(), opt.subcommand.begin(), opt.subcommand.end());
	// A user's cases: the host runs them where they are, guests from their copies.
	std::vector<std::string> guest_args = run_args;
	CaseLayout cases = case_layout(opt.case_files);
	if (!opt.case_files.empty()) {
		run_args.push_back("case");
		run_args.insert(run_args.end(), opt.case_files.begin(), opt.case_files.end());
		guest_args.push_back("case");
		guest_args.insert(guest_args.end(), cases.guest_cases.begin(), cases.guest_cases.end());
	}

	// Every kernel is resolved and fetched before anything runs: a kernel that
	// cannot be had is bad input, found in seconds rather than after the host run.
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

	// The host kernel first, alone, so that no VM competes with it for the CPU.
	for (const auto &k : opt.kernels) {
		if (k != "host")
			continue;
		KernelRun run{"host", "", "", "host"};
		std::string json = opt.results_dir + "/host.json.partial";
		std::vector<std::string> args = run_args;
		args.insert(args.end(), {"--json", json, "--expectations", opt.expectations_dir});
		progress << "== kernel host: running on this machine\n" << std::flush;
		auto t0 = std::chrono::steady_clock::now();
		bp::child c(opt.self_exe, bp::args(args), bp::std_out > bp::null);
		c.wait();
		opt.interruption.check(); // Ctrl-C reached the host run too, which cleaned up and stopped
		run.wall_ms = ms(std::chrono::steady_clock::now() - t0);
		if (!fs::exists(json))
			throw std::runtime_error("the host run wrote no results (exit " + std::to_string(c.exit_code()) + ")");
		RunResults r = results_from_json(json::parse(read_file(json)));
		r.runner = {{"kind", "host"}};
		run.results_file = opt.results_dir + "/" + r.kernel.release + opt.results_suffix + ".json";
		write_file_atomic(run.results_file, to_json(r).dump(2) + "\n");
		fs::remove(json);
		progress << "== kernel host (" << r.kernel.release << "): done in " << run.wall_ms / 1000 << " s\n";
		runs.push_back(run);
	}

	if (images.empty())
		return runs;

	GuestPlan plan;
	plan.harness_binary = opt.self_exe;
	plan.expectations_dir = opt.expectations_dir;
	plan.harness_args = guest_args;
	plan.extra_files = cases.files;

	std::vector<Guest> guests;
	// Work directories (initramfs trees) go whatever happens, interruption included.
	struct WorkDirs {
		std::vector<Guest> &g;
		~WorkDirs()
		{
			for (auto &x : g) {
				if (x.vm)
					x.vm->kill();
				std::error_code ec;
				fs::remove_all(x.work_dir, ec);
			}
		}
	} work_dirs{guests};
	for (const auto &img : images) {
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
		guests.push_back(std::move(g));
	}

	Accel accel = Accel::Tcg;
	if (opt.accel == "kvm") {
		accel = Accel::Kvm;
	} else if (opt.accel == "auto") {
		VmSpec probe{guests[0].kernel, guests[0].initrd, guests[0].work_dir + "/probe-console.log",
			     guests[0].work_dir + "/probe.serial"};
		progress << "== probing KVM (bounded test boot)\n" << std::flush;
		accel = kvm_works(probe, std::chrono::seconds(15)) ? Accel::Kvm : Accel::Tcg;
		progress << "   using " << to_string(accel)
			 << (accel == Accel::Tcg ? " (KVM absent or not answering: software emulation)" : "") << "\n";
	}

	int subtests = 0;
	for (const auto &sel : selection)
		subtests += static_cast<int>(sel.subtests.size());
	GuestTiming timing = guest_timing(accel, opt.settle_ms, opt.timeout_ms, subtests);
	if (opt.vm_timeout_s > 0)
		timing.vm_timeout_s = opt.vm_timeout_s;
	std::string timing_append = "xdplab.args=";
	for (const auto &a : timing.harness_args())
		timing_append += (timing_append.back() == '=' ? "" : ",") + a;
	progress << "   guests: " << timing.vcpus << " vCPUs, --settle-ms " << timing.settle_ms << " --timeout-ms "
		 << timing.timeout_ms << ", hung after " << timing.vm_timeout_s << " s\n";

	// A TCG guest is one host thread whatever its vCPUs (qemu.cpp says why):
	// one guest per core.
	unsigned cores = std::max(1u, std::thread::hardware_concurrency());
	size_t parallel = opt.parallel > 0 ? static_cast<size_t>(opt.parallel) : cores;
	auto timeout = std::chrono::seconds(timing.vm_timeout_s);
	size_t next = 0, finished = 0;
	while (finished < guests.size()) {
		opt.interruption.check(); // unwinding kills every guest still running
		size_t active = 0;
		for (auto &g : guests)
			active += g.vm && !g.done;
		while (active < parallel && next < guests.size()) {
			Guest &g = guests[next++];
			fs::remove(g.console_log);
			fs::remove(g.serial_out);
			g.vm = std::make_unique<VmProcess>(
				VmSpec{g.kernel, g.initrd, g.console_log, g.serial_out, accel, 1024, timing.vcpus, timing_append});
			g.run.accel = to_string(accel);
			progress << "== kernel " << g.kernel.label << ": booting (" << to_string(accel) << ")\n"
				 << std::flush;
			++active;
		}
		for (auto &g : guests) {
			if (!g.vm || g.done)
				continue;
			std::string console = read_file(g.console_log);
			size_t complete = console.rfind('\n');
			if (complete != std::string::npos && complete + 1 > g.console_seen) {
				// Only whole lines: a progress line is written in two parts.
				std::istringstream in(console.substr(g.console_seen, complete + 1 - g.console_seen));
				std::string line;
				while (std::getline(in, line)) {
					if (!line.empty() && line.back() == '\r')
						line.pop_back();
					bool step = line.rfind("[", 0) == 0 && line.find("...") != std::string::npos;
					if (step || line.find("guest:") != std::string::npos ||
					    line.find("Kernel panic") != std::string::npos)
						progress << "   [" << g.kernel.label << "] " << line << "\n";
				}
				g.console_seen = complete + 1;
				progress << std::flush;
			}
			bool timed_out = g.vm->running() && g.vm->elapsed() > timeout;
			if (g.vm->running() && !timed_out)
				continue;
			if (timed_out)
				g.vm->kill();
			g.done = true;
			++finished;
			g.run.wall_ms = ms(g.vm->elapsed());
			std::string release = guest_release(read_file(g.console_log), g.kernel);
			RunResults r;
			int guest_exit = -1;
			try {
				if (timed_out)
					throw std::runtime_error("the guest did not finish within " +
								 std::to_string(timing.vm_timeout_s) + " s");
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
				    {"accel", to_string(accel)},
				    {"image", g.kernel.bzimage},
				    {"package", g.kernel.package},
				    {"version", g.kernel.version},
				    {"console_log", g.console_log},
				    {"vcpus", timing.vcpus},
				    {"wall_ms", g.run.wall_ms}};
			g.run.results_file = opt.results_dir + "/" + r.kernel.release + opt.results_suffix + ".json";
			write_file_atomic(g.run.results_file, to_json(r).dump(2) + "\n");
			Summary s = r.summary();
			progress << "== kernel " << g.kernel.label << " (" << r.kernel.release << "): "
				 << (g.run.guest_failed ? "GUEST FAILED" : "done") << " in " << g.run.wall_ms / 1000
				 << " s: " << s.confirmed << " confirmed, " << s.deviates << " deviates, " << s.unpinned
				 << " unpinned, " << s.skipped
				 << " skipped, " << s.error << " error; " << guests.size() - finished << " kernel(s) left\n"
				 << std::flush;
			runs.push_back(g.run);
			fs::remove_all(g.work_dir);
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(500));
	}
	return runs;
}

} // namespace xdplab
