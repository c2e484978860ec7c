// Run liveness by lock (netns/naming.h), in a state directory of its own: no
// root needed, and nothing of real runs touched.
#include "netns/naming.h"
#include "netns/run_liveness.h"
#include "netns/sweep.h"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace xdplab;
namespace fs = std::filesystem;

namespace {

struct StateDir {
	fs::path parent, dir;
	StateDir()
	{
		char tmpl[] = "/tmp/xdplab-liveness.XXXXXX";
		parent = mkdtemp(tmpl);
		dir = parent / "state"; // made on demand, like /run/xdplab
		setenv("XDPLAB_STATE_DIR", dir.c_str(), 1);
	}
	~StateDir()
	{
		unsetenv("XDPLAB_STATE_DIR");
		fs::remove_all(parent);
	}
};

std::string own_pid_namespace()
{
	char buf[64];
	ssize_t n = readlink("/proc/self/ns/pid", buf, sizeof(buf) - 1);
	return n > 0 ? std::string(buf, n) : std::string();
}

// A lock file held through an open file description of its own, as another
// process would hold it; `owner` is what that process wrote.
int hold_lock(const std::string &run_id, const std::string &owner)
{
	fs::create_directories(run_state_dir());
	int fd = open(run_lock_path(run_id).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	BOOST_REQUIRE(fd >= 0);
	BOOST_REQUIRE(flock(fd, LOCK_EX) == 0);
	BOOST_REQUIRE(write(fd, owner.data(), owner.size()) == static_cast<ssize_t>(owner.size()));
	return fd;
}

// A child that has exited and is not reaped yet: a zombie until reap().
pid_t zombie()
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	for (int i = 0; i < 1000; ++i) {
		std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
		std::string line;
		std::getline(in, line);
		auto p = line.rfind(") ");
		if (p != std::string::npos && line[p + 2] == 'Z')
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	return pid;
}

long ms_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

void reap(pid_t pid)
{
	waitpid(pid, nullptr, 0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(liveness)

BOOST_AUTO_TEST_CASE(a_held_lock_is_alive_and_leaves_nothing_when_released)
{
	StateDir state;
	{
		RunLock lock("0a1b2c");
		BOOST_TEST(lock.run_id() == "0a1b2c");
		BOOST_TEST(fs::exists(run_lock_path("0a1b2c")));
		BOOST_TEST(run_is_alive("0a1b2c"));
		std::ifstream in(run_lock_path("0a1b2c"));
		pid_t pid = 0;
		in >> pid;
		BOOST_TEST(pid == getpid());
	}
	BOOST_TEST(!run_is_alive("0a1b2c"));
	BOOST_TEST(!fs::exists(state.dir)); // the last run out removes the directory
}

BOOST_AUTO_TEST_CASE(a_lock_file_without_holder_is_dead)
{
	StateDir state;
	fs::create_directories(state.dir);
	// Our own pid: alive by kill(pid, 0), yet nobody holds the lock.
	std::ofstream(run_lock_path("0a1b2c")) << getpid() << " " << own_pid_namespace() << "\n";
	BOOST_TEST(!run_is_alive("0a1b2c"));
	BOOST_TEST(!run_is_alive("ffffff")); // no file at all
}

BOOST_AUTO_TEST_CASE(a_second_lock_on_a_live_run_id_is_refused)
{
	StateDir state;
	int fd = hold_lock("0a1b2c", std::to_string(getpid()) + " " + own_pid_namespace() + "\n");
	BOOST_TEST(run_is_alive("0a1b2c"));
	BOOST_CHECK_THROW(RunLock("0a1b2c"), std::runtime_error);
	close(fd);
	BOOST_TEST(!run_is_alive("0a1b2c"));
}

BOOST_AUTO_TEST_CASE(a_dying_holder_is_dead_once_its_lock_goes)
{
	StateDir state;
	pid_t owner = zombie();
	int fd = hold_lock("0a1b2c", std::to_string(owner) + " " + own_pid_namespace() + "\n");
	// The lock outlives its writer for a moment, as it does while a killed
	// process closes its files.
	std::thread release([fd] {
		std::this_thread::sleep_for(std::chrono::milliseconds(200));
		close(fd);
	});
	auto t0 = std::chrono::steady_clock::now();
	BOOST_TEST(!run_is_alive("0a1b2c"));
	long waited_ms = ms_since(t0);
	release.join();
	reap(owner);
	BOOST_TEST(waited_ms >= 150);
	BOOST_TEST(waited_ms < 2000);
}

BOOST_AUTO_TEST_CASE(a_holder_from_another_pid_namespace_is_alive)
{
	StateDir state;
	int fd = hold_lock("0a1b2c", "1 pid:[1]\n"); // pid 1 there means nothing here
	auto t0 = std::chrono::steady_clock::now();
	BOOST_TEST(run_is_alive("0a1b2c"));
	BOOST_TEST(ms_since(t0) < 500);
	close(fd);
}

BOOST_AUTO_TEST_CASE(an_older_harness_pid_file_protects_its_run_while_recent)
{
	StateDir state;
	fs::create_directories(state.dir);
	std::string pid_file = (state.dir / "0a1b2c.pid").string();
	std::ofstream(pid_file) << getpid() << "\n";
	BOOST_TEST(run_is_alive("0a1b2c"));

	pid_t gone = zombie();
	reap(gone);
	std::ofstream(pid_file) << gone << "\n";
	BOOST_TEST(run_is_alive("0a1b2c")); // maybe a pid of another namespace
	utimbuf old{};
	old.actime = old.modtime = time(nullptr) - 2 * 3600;
	utime(pid_file.c_str(), &old);
	BOOST_TEST(!run_is_alive("0a1b2c"));
}

BOOST_AUTO_TEST_CASE(claimed_runs_get_distinct_slots_and_leave_no_id_lock)
{
	StateDir state;
	RunLock a = claim_new_run();
	RunLock b = claim_new_run();
	BOOST_TEST(is_run_id(a.run_id()));
	BOOST_TEST(run_slot(a.run_id()) != run_slot(b.run_id()));
	BOOST_TEST(run_is_alive(a.run_id()));
	BOOST_TEST(!fs::exists(state.dir / ".ids"));
	RunLock c = claim_new_run([](const std::string &id) { return run_slot(id) != 7; });
	BOOST_TEST(run_slot(c.run_id()) == 7u);
}

BOOST_AUTO_TEST_CASE(a_kept_run_keeps_its_slot)
{
	StateDir state;
	fs::create_directories(state.dir);
	// Every slot but 0x123 kept.
	for (unsigned slot = 0; slot < 2048; ++slot) {
		if (slot == 0x123)
			continue;
		char id[8];
		snprintf(id, sizeof(id), "%06x", slot);
		mark_run_kept(id);
	}
	{
		RunLock lock = claim_new_run();
		BOOST_TEST(run_slot(lock.run_id()) == 0x123u);
		BOOST_CHECK_THROW(claim_new_run(), std::runtime_error); // all 2048 in use now
	}
	BOOST_TEST(fs::exists(state.dir)); // the markers stay
}

BOOST_AUTO_TEST_CASE(a_run_slot_is_the_low_11_bits)
{
	BOOST_TEST(run_slot("000000") == 0u);
	BOOST_TEST(run_slot("0007ff") == 0x7ffu);
	BOOST_TEST(run_slot("abc800") == 0u);
	BOOST_TEST(run_slot("ffffff") == 0x7ffu);
}

BOOST_AUTO_TEST_SUITE_END()
