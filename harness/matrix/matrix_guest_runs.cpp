// Running the guests: a few at once, their consoles' progress lines relayed
// as they come, each guest's results taken as soon as it ends or hangs.
#include "matrix_steps.h"

#include "../file_text.h"

#include <filesystem>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

// Boots guests not yet started until `parallel` are running.
void boot_waiting_guests(std::vector<Guest> &guests, size_t &next, size_t parallel, const GuestBoot &boot,
			 std::ostream &progress)
{
	size_t active = 0;
	for (auto &g : guests)
		active += g.vm && !g.done;
	while (active < parallel && next < guests.size()) {
		Guest &g = guests[next++];
		fs::remove(g.console_log);
		fs::remove(g.serial_out);
		g.vm = std::make_unique<VmProcess>(VmSpec{g.kernel, g.initrd, g.console_log, g.serial_out, boot.accel,
							  1024, boot.timing.vcpus, boot.kernel_append});
		g.run.accel = to_string(boot.accel);
		progress << "== kernel " << g.kernel.label << ": booting (" << to_string(boot.accel) << ")\n"
			 << std::flush;
		++active;
	}
}

// The guest's console lines written since the last call that say how it
// goes (progress lines, the guest's own, a panic), prefixed with its label.
void relay_console(Guest &g, std::ostream &progress)
{
	std::string console = read_file(g.console_log);
	size_t complete = console.rfind('\n');
	if (complete == std::string::npos || complete + 1 <= g.console_seen)
		return;
	// Only whole lines: a progress line is written in two parts.
	std::istringstream in(console.substr(g.console_seen, complete + 1 - g.console_seen));
	std::string line;
	while (std::getline(in, line)) {
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		bool step = line.rfind("[", 0) == 0 && line.find("...") != std::string::npos;
		if (step || line.find("guest:") != std::string::npos || line.find("Kernel panic") != std::string::npos)
			progress << "   [" << g.kernel.label << "] " << line << "\n";
	}
	g.console_seen = complete + 1;
	progress << std::flush;
}

} // namespace

void run_guests(const MatrixOptions &opt, const std::vector<Selection> &selection, std::vector<Guest> &guests,
		const GuestBoot &boot, std::ostream &progress, std::vector<KernelRun> &runs)
{
	// A TCG guest is one host thread whatever its vCPUs (qemu.cpp says why):
	// one guest per core.
	unsigned cores = std::max(1u, std::thread::hardware_concurrency());
	size_t parallel = opt.parallel > 0 ? static_cast<size_t>(opt.parallel) : cores;
	auto timeout = std::chrono::seconds(boot.timing.vm_timeout_s);
	size_t next = 0, finished = 0;
	while (finished < guests.size()) {
		opt.interruption.check(); // unwinding kills every guest still running
		boot_waiting_guests(guests, next, parallel, boot, progress);
		for (auto &g : guests) {
			if (!g.vm || g.done)
				continue;
			relay_console(g, progress);
			bool timed_out = g.vm->running() && g.vm->elapsed() > timeout;
			if (g.vm->running() && !timed_out)
				continue;
			if (timed_out)
				g.vm->kill();
			g.done = true;
			++finished;
			g.run.wall_ms = whole_ms(g.vm->elapsed());
			RunResults r = collect_guest_results(g, timed_out, boot, selection);
			write_kernel_results(opt, r, g.run);
			report_guest_done(progress, g, r, guests.size() - finished);
			runs.push_back(g.run);
			fs::remove_all(g.work_dir);
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(500));
	}
}

} // namespace xdplab
