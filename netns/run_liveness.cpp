#include "run_liveness.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace xdplab {

std::string run_state_dir()
{
	const char *env = std::getenv("XDPLAB_STATE_DIR");
	return env && *env ? env : "/run/xdplab";
}

std::string run_lock_path(const std::string &run_id)
{
	return run_state_dir() + "/" + run_id + ".lock";
}


namespace {

constexpr auto kDyingOwnerWait = std::chrono::seconds(3);
constexpr auto kPoll = std::chrono::milliseconds(5);
// How long a <run>.pid of an older harness protects its run when its pid is
// not to be seen here (see legacy_pid_alive).
constexpr auto kLegacyPidTrust = std::chrono::hours(1);

std::string errno_text(const std::string &what)
{
	return what + ": " + std::strerror(errno);
}

bool same_file(int fd, const std::string &path)
{
	struct stat held, named;
	return fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
	       held.st_ino == named.st_ino;
}

// Opens (creating the state directory and file if need be) and locks `path`
// exclusively. Returns -1 when `nonblock` and someone holds it. A lock on a
// file that was unlinked (or replaced) between open and flock is no lock on
// `path`: start over. The directory itself may vanish between mkdir and open
// when the last run leaves it at that moment: start over then too.
int open_locked(const std::string &path, bool nonblock)
{
	for (int attempt = 0; attempt < 100; ++attempt) {
		mkdir(run_state_dir().c_str(), 0755);
		int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			throw std::runtime_error(errno_text("cannot create " + path));
		}
		int rc;
		while ((rc = flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0))) != 0 && errno == EINTR)
			;
		if (rc != 0) {
			int e = errno;
			close(fd);
			if (e == EWOULDBLOCK)
				return -1;
			errno = e;
			throw std::runtime_error(errno_text("cannot lock " + path));
		}
		if (same_file(fd, path))
			return fd;
		close(fd);
	}
	throw std::runtime_error("cannot lock " + path + ": it keeps being removed");
}

bool shared_lock_free(int fd)
{
	int rc;
	while ((rc = flock(fd, LOCK_SH | LOCK_NB)) != 0 && errno == EINTR)
		;
	return rc == 0;
}

// "pid:[4026531836]". Runs in containers on one host share /run/xdplab but
// not their pids: a pid means something here only if it was written from the
// same pid namespace.
std::string own_pid_namespace()
{
	char buf[64];
	ssize_t n = readlink("/proc/self/ns/pid", buf, sizeof(buf) - 1);
	return n > 0 ? std::string(buf, n) : std::string();
}

enum class Owner { live, dying, gone, unknown };

// What became of the process that wrote a lock file ("<pid> <pid namespace>").
// Dying: a zombie (or dead) task, or SIGKILL pending for it or its thread
// group, which nothing can block or undo. Such a process still holds its
// locks until its files are closed on the way out; kill(pid, 0) and the lock
// alone still call it alive.
Owner owner_state(int fd)
{
	char buf[128] = {};
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return Owner::unknown; // locked a moment ago, pid not written yet
	std::istringstream in(std::string(buf, n));
	long pid = 0;
	std::string ns;
	if (!(in >> pid) || pid <= 0 || !(in >> ns) || ns != own_pid_namespace())
		return Owner::unknown;

	std::string proc = "/proc/" + std::to_string(pid);
	std::ifstream stat_file(proc + "/stat");
	std::string stat_line;
	if (!std::getline(stat_file, stat_line))
		return Owner::gone;
	// "pid (comm) S ...": comm may itself hold ") ", so take the last one.
	auto close_paren = stat_line.rfind(") ");
	if (close_paren == std::string::npos || close_paren + 2 >= stat_line.size())
		return Owner::gone;
	char state = stat_line[close_paren + 2];
	if (state == 'Z' || state == 'X' || state == 'x')
		return Owner::dying;

	std::ifstream status(proc + "/status");
	const unsigned long long sigkill = 1ull << (SIGKILL - 1);
	for (std::string line; std::getline(status, line);) {
		if (line.rfind("SigPnd:", 0) != 0 && line.rfind("ShdPnd:", 0) != 0)
			continue;
		if (std::strtoull(line.c_str() + 7, nullptr, 16) & sigkill)
			return Owner::dying;
	}
	return Owner::live;
}

// A run of a harness from before the lock files: <run>.pid and kill(pid, 0).
// That pid may belong to another pid namespace sharing /run/xdplab, where
// "no such process" here proves nothing; so a pid not seen here protects its
// run while the file is recent (longer than any run takes), and only an old
// file is taken for a dead run's.
bool legacy_pid_alive(const std::string &run_id)
{
	std::string path = run_state_dir() + "/" + run_id + ".pid";
	std::ifstream in(path);
	pid_t pid = 0;
	if (!(in >> pid) || pid <= 0)
		return false;
	if (kill(pid, 0) == 0 || errno == EPERM)
		return true;
	struct stat st;
	if (stat(path.c_str(), &st) != 0)
		return false;
	auto age = std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime);
	return age < kLegacyPidTrust;
}

} // namespace

RunLock::RunLock(const std::string &run_id) : id_(run_id)
{
	std::string path = run_lock_path(id_);
	// A run that checks this one's liveness holds a shared lock for a moment;
	// only a lock held for longer means the id belongs to another run.
	auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
	while ((fd_ = open_locked(path, true)) < 0) {
		if (std::chrono::steady_clock::now() > give_up)
			throw std::runtime_error("run id " + id_ + " is in use (" + path + " is locked)");
		std::this_thread::sleep_for(kPoll);
	}
	std::string owner = std::to_string(getpid()) + " " + own_pid_namespace() + "\n";
	if (ftruncate(fd_, 0) != 0 || pwrite(fd_, owner.data(), owner.size(), 0) != static_cast<ssize_t>(owner.size())) {
		int e = errno;
		unlink(path.c_str());
		close(fd_);
		errno = e;
		throw std::runtime_error(errno_text("cannot write " + path));
	}
}

RunLock::RunLock(RunLock &&other) noexcept : id_(std::move(other.id_)), fd_(std::exchange(other.fd_, -1))
{
}

RunLock::~RunLock()
{
	if (fd_ < 0)
		return;
	// Unlink first, still holding the lock: a checker that opened the file
	// earlier then finds it free and an unlinked file, both meaning "ended".
	// Only our own file, though: a sweep that took this run for dead may have
	// removed it, and the name may since be another's.
	std::string path = run_lock_path(id_);
	if (same_file(fd_, path))
		unlink(path.c_str());
	rmdir(run_state_dir().c_str()); // only succeeds once no other run has a file there
	close(fd_);
}

bool run_is_alive(const std::string &run_id)
{
	int fd = open(run_lock_path(run_id).c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? legacy_pid_alive(run_id) : true;
	// Shared, not exclusive: two runs checking the same dead run at once
	// must not see each other's probe as the dead run's lock.
	if (shared_lock_free(fd)) {
		close(fd);
		return false;
	}
	Owner owner = owner_state(fd);
	if (owner == Owner::live || owner == Owner::unknown) {
		close(fd);
		return true;
	}
	auto deadline = std::chrono::steady_clock::now() + kDyingOwnerWait;
	bool released = false;
	while (!(released = shared_lock_free(fd)) && std::chrono::steady_clock::now() < deadline)
		std::this_thread::sleep_for(kPoll);
	close(fd);
	if (released)
		return false;
	// A dying owner is dead even if its exit outlasts the wait. A lock that
	// outlives its writer for that long is held by something else that this
	// process cannot judge: leave that run alone.
	return owner == Owner::gone;
}

void remove_run_lock(const std::string &run_id)
{
	unlink(run_lock_path(run_id).c_str());
	unlink((run_state_dir() + "/" + run_id + ".pid").c_str()); // from an older harness
	rmdir(run_state_dir().c_str()); // only succeeds once no other run has a file there
}

RunLock claim_new_run(const std::function<bool(const std::string &)> &in_use)
{
	std::string ids_path = run_state_dir() + "/.ids";
	int ids = open_locked(ids_path, false);
	// Unlinked before it is unlocked: see the header.
	auto release = [&] {
		unlink(ids_path.c_str());
		rmdir(run_state_dir().c_str()); // when no run was claimed after all
		close(ids);
	};
	try {
		std::set<unsigned> taken;
		std::set<std::string> known;
		if (DIR *d = opendir(run_state_dir().c_str())) {
			while (dirent *e = readdir(d)) {
				std::string name = e->d_name;
				auto dot = name.rfind('.');
				if (dot == std::string::npos || !is_run_id(name.substr(0, dot)))
					continue;
				std::string id = name.substr(0, dot), kind = name.substr(dot);
				known.insert(id);
				// A kept run's topology is still up, with its slot's numbers.
				if (kind == ".kept" || ((kind == ".lock" || kind == ".pid") && run_is_alive(id)))
					taken.insert(run_slot(id));
			}
			closedir(d);
		}
		for (int attempt = 0; attempt < 100000 && taken.size() < kRunSlots; ++attempt) {
			std::string id = new_run_id();
			if (taken.count(run_slot(id)) || known.count(id) || (in_use && in_use(id)))
				continue;
			RunLock lock(id);
			release();
			return lock;
		}
	} catch (...) {
		release();
		throw;
	}
	release();
	throw std::runtime_error("no free run slot: " + std::to_string(kRunSlots) +
				 " runs alive or kept (see " + run_state_dir() + ")");
}

} // namespace xdplab
