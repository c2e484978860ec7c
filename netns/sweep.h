// Finding and removing what earlier runs left behind: only harness-named
// objects (netns "xdplab-<run>-*", links "xl<run>-*", tracefs instances
// "xdplab-<run>") whose run is no longer alive.
#pragma once
#include <string>
#include <vector>

namespace xdplab {

struct Leftover {
	std::string kind; // "netns", "link", "trace-instance"
	std::string name;
	std::string run_id;
};

// include_kept: also runs left on purpose with --keep.
std::vector<Leftover> find_leftovers(const std::string &tracefs_root, bool include_kept);

// Removes them; returns messages for what could not be removed.
std::vector<std::string> remove_leftovers(const std::vector<Leftover> &items, const std::string &tracefs_root);

// --keep marks a run so that the automatic sweep of the next run spares it.
void mark_run_kept(const std::string &run_id);
bool run_is_kept(const std::string &run_id);
void forget_run(const std::string &run_id);

} // namespace xdplab
