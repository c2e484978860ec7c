// Timed loops that tell which part of the machine a slow state slows: pure
// arithmetic, a system call, and first touches of fresh anonymous pages (the
// page fault, zeroing and page-table work of the kernel's memory path). Each
// is timed by the thread's CPU clock on the CPU given (the bench's), and
// printed as "alu NS syscall NS page NS" (per iteration, call, page).
// Built and run by bench/machine-state.sh; not part of the harness.
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>

static double thread_ns()
{
	timespec t{};
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

int main(int argc, char **argv)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(argc > 1 ? std::atoi(argv[1]) : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		std::perror("sched_setaffinity");
		return 1;
	}
	constexpr long kAlu = 100'000'000, kCalls = 1'000'000, kMaps = 200, kPages = 256;
	volatile uint64_t x = 1;
	double t = thread_ns();
	for (long i = 0; i < kAlu; ++i)
		x = x * 6364136223846793005ULL + 1;
	double alu = (thread_ns() - t) / kAlu;

	t = thread_ns();
	for (long i = 0; i < kCalls; ++i)
		syscall(SYS_getppid);
	double call = (thread_ns() - t) / kCalls;

	t = thread_ns();
	for (long m = 0; m < kMaps; ++m) {
		auto *p = static_cast<volatile char *>(
			mmap(nullptr, kPages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		if (p == MAP_FAILED) {
			std::perror("mmap");
			return 1;
		}
		for (long k = 0; k < kPages; ++k)
			p[k * 4096] = 1;
		munmap(const_cast<char *>(p), kPages * 4096);
	}
	double page = (thread_ns() - t) / (kMaps * kPages);
	std::printf("alu %.3f syscall %.1f page %.1f\n", alu, call, page);
	return 0;
}
