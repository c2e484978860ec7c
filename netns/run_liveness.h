// Which runs are alive: a lock per run under the state directory, and the
// choice of a new run's id (and so of its slot) under a lock of its own.
#pragma once
#include "naming.h"

#include <functional>
#include <string>

namespace xdplab {

// Liveness. A run holds an exclusive flock(2) on <state dir>/<run>.lock for
// as long as it lives; the kernel drops the lock when the process dies, however
// it dies, so a lock that can be taken belongs to a dead run and a recycled pid
// can never make a dead run look alive. The file holds "<pid> <pid namespace>"
// of the owner, read only to tell a dying owner from a live one and for
// messages.
//
// The state directory is /run/xdplab, or $XDPLAB_STATE_DIR (tests). It exists
// only while some run uses it: whoever removes the last file in it removes it.
std::string run_state_dir();
std::string run_lock_path(const std::string &run_id);

class RunLock {
public:
	// Creates and locks the run's lock file; throws if another live process
	// holds it (a run id in use) or the file cannot be made. The descriptor is
	// O_CLOEXEC: tools the run starts must not hold the run alive.
	explicit RunLock(const std::string &run_id);
	// Unlinks the file while still holding the lock, then closes it.
	~RunLock();
	RunLock(RunLock &&other) noexcept;
	RunLock(const RunLock &) = delete;
	RunLock &operator=(const RunLock &) = delete;
	RunLock &operator=(RunLock &&) = delete;

	const std::string &run_id() const { return id_; }

private:
	std::string id_;
	int fd_ = -1;
};

// No lock file: not alive. Lock free: dead. Lock held: alive, unless the pid
// in the file (written from this pid namespace) is already dying (zombie, or
// SIGKILL pending): the lock goes with the process a moment later, so this
// waits (at most ~3 s) for it and says dead. A run of an older harness that
// wrote only <run>.pid is alive while kill(pid, 0) finds it or the file is
// less than an hour old (the pid may be of another pid namespace), so that
// upgrading on a busy host does not sweep runs in progress.
bool run_is_alive(const std::string &run_id);

// Removes a dead run's lock file, and the state directory once empty.
void remove_run_lock(const std::string &run_id);

// A new run id, locked. Two runs starting at once must not pick ids in the
// same run slot, and an id must not be taken by one run while another checks
// it, so the choice is made under an exclusive flock on <state dir>/.ids:
//   lock .ids; choose an id whose slot no live or kept run has and that
//   in_use (may be empty) does not reject; create its RunLock; unlink .ids;
//   unlock.
// Every chooser therefore sees the RunLock of every earlier choice. .ids is
// unlinked while still locked (a waiter that then gets the lock on the
// unlinked file notices and starts over), so it never keeps the directory.
// in_use runs under that lock: it must be quick and must not claim a run
// itself. Throws if every slot is taken. Ids from new_run_id() and a RunLock
// made by hand carry no slot guarantee.
RunLock claim_new_run(const std::function<bool(const std::string &)> &in_use = {});

} // namespace xdplab
