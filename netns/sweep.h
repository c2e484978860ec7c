// Finding and removing what earlier runs left behind: only harness-named
// objects (netns "xdplab-<run>-*", links "xl<run>-*", tracefs instances
// "xdplab-<run>", bpffs pin directories "xdplab-<run>") whose run is no longer alive (see run_is_alive), and the
// state files of such runs.
#pragma once
#include "run_liveness.h"

#include <string>
#include <vector>

namespace xdplab {

struct Leftover {
	std::string kind; // "netns", "link", "trace-instance", "pin-dir", "state-file"
	std::string name;
	std::string run_id;
};

// include_kept: also runs left on purpose with --keep. A run that is dying
// (SIGKILL pending) counts as dead: this may wait up to ~3 s for it to go.
std::vector<Leftover> find_leftovers(const std::string &tracefs_root, bool include_kept);

// Removes them; returns messages for what could not be removed.
std::vector<std::string> remove_leftovers(const std::vector<Leftover> &items, const std::string &tracefs_root);

// --keep marks a run (<state dir>/<run>.kept) so that the automatic sweep of
// the next run spares it, and so that no new run takes its run slot while its
// topology is up. The marker outlives the run's lock; --cleanup removes both.
void mark_run_kept(const std::string &run_id);
bool run_is_kept(const std::string &run_id);
// Removes a dead run's marker and lock file, and the state directory once empty.
void forget_run(const std::string &run_id);

} // namespace xdplab
