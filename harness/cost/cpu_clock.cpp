#include "cpu_clock.h"
#include "../file_text.h"

#include "../../netns/command.h"

#include <sched.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace xdplab::cost {

namespace fs = std::filesystem;

namespace {

uint64_t thread_cpu_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

int ksoftirqd_of(int cpu)
{
	const std::string want = "ksoftirqd/" + std::to_string(cpu);
	for (const auto &e : fs::directory_iterator("/proc")) {
		std::string name = e.path().filename().string();
		if (name.empty() || !isdigit(static_cast<unsigned char>(name[0])))
			continue;
		std::ifstream in(e.path() / "comm");
		std::string comm;
		if (std::getline(in, comm) && comm == want)
			return std::stoi(name);
	}
	return -1;
}

// sum_exec_runtime of a task in ns (/proc/<pid>/schedstat, CONFIG_SCHED_INFO);
// 0 when it cannot be read.
uint64_t task_runtime_ns(int pid)
{
	if (pid < 0)
		return 0;
	std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
	uint64_t ns = 0;
	in >> ns;
	return ns;
}

// The CPU's softirq time from /proc/stat, in ns (USER_HZ ticks: 10 ms steps).
uint64_t cpu_softirq_ns(int cpu)
{
	std::ifstream in("/proc/stat");
	const std::string want = "cpu" + std::to_string(cpu);
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream fields(line);
		std::string name;
		uint64_t v[7] = {};
		fields >> name;
		if (name != want)
			continue;
		for (auto &x : v)
			fields >> x;
		return v[6] * (1000000000ull / static_cast<uint64_t>(sysconf(_SC_CLK_TCK)));
	}
	return 0;
}

} // namespace

MachineTime machine_time(int cpu)
{
	std::ifstream in("/proc/stat");
	const std::string want = "cpu" + std::to_string(cpu);
	const uint64_t tick = 1000000000ull / static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
	MachineTime t;
	std::string line;
	while (std::getline(in, line)) {
		if (!line.starts_with("cpu") || line.size() < 4 || !isdigit(static_cast<unsigned char>(line[3])))
			continue;
		std::istringstream fields(line);
		std::string name;
		uint64_t v[8] = {}; // user nice system idle iowait irq softirq steal
		fields >> name;
		for (auto &x : v)
			fields >> x;
		if (name == want)
			t.steal_ns += v[7] * tick;
		else
			t.others_kernel_ns += (v[2] + v[5] + v[6]) * tick;
	}
	return t;
}

bool kernel_accounts_irq_time()
{
	utsname u{};
	uname(&u);
	std::string text;
	if (fs::exists("/proc/config.gz")) {
		text = run_command({"zcat", "/proc/config.gz"}).output;
	} else {
		text = read_file(std::string("/boot/config-") + u.release);
	}
	return text.find("\nCONFIG_IRQ_TIME_ACCOUNTING=y") != std::string::npos;
}

PathCpuClock::PathCpuClock(int cpu)
{
	cpu_ = cpu >= 0 ? cpu : sched_getcpu();
	if (cpu_ < 0)
		throw std::runtime_error("sched_getcpu failed");
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu_, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		throw std::runtime_error("cannot pin the injecting thread to CPU " + std::to_string(cpu_));
	ksoftirqd_pid_ = ksoftirqd_of(cpu_);
	irq_time_separate_ = kernel_accounts_irq_time();
}

uint64_t PathCpuClock::now_ns() const
{
	uint64_t ns = thread_cpu_ns() + task_runtime_ns(ksoftirqd_pid_);
	if (irq_time_separate_)
		ns += cpu_softirq_ns(cpu_);
	return ns;
}

std::string PathCpuClock::accounting() const
{
	std::string s = "thread";
	if (ksoftirqd_pid_ >= 0)
		s += "+ksoftirqd/" + std::to_string(cpu_);
	if (irq_time_separate_)
		s += "+softirq(cpu" + std::to_string(cpu_) + ")";
	return s;
}

} // namespace xdplab::cost
