#include "sweep.h"

#include "command.h"
#include "naming.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace xdplab {

namespace {

// Entry names of a directory ("" entries and dot files left out); empty if absent.
std::vector<std::string> entries_of(const std::string &dir)
{
	std::vector<std::string> names;
	DIR *d = opendir(dir.c_str());
	if (!d)
		return names;
	while (dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			names.emplace_back(e->d_name);
	closedir(d);
	return names;
}

// The run id of a file in the state directory ("<run>.lock", "<run>.kept",
// "<run>.pid" of an older harness).
std::optional<std::string> run_id_of_state_file(const std::string &name)
{
	auto dot = name.find('.');
	if (dot == std::string::npos)
		return std::nullopt;
	std::string id = name.substr(0, dot), kind = name.substr(dot);
	if (!is_run_id(id) || (kind != ".lock" && kind != ".kept" && kind != ".pid"))
		return std::nullopt;
	return id;
}

// Whether a process is working on a run's objects: its command line names
// them ("xdplab-<run>..." or "xl<run>-..."). Whatever its parent now is: the
// tools of a killed run are orphans.
bool names_run(pid_t pid, const std::string &run_id)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
	std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	std::string link_prefix = link_name(run_id, "x");
	link_prefix.pop_back(); // "xl<run>-"
	return cmdline.find(trace_instance_name(run_id)) != std::string::npos ||
	       cmdline.find(link_prefix) != std::string::npos;
}

std::vector<pid_t> tools_of(const std::string &run_id)
{
	std::vector<pid_t> pids;
	for (const auto &entry : entries_of("/proc")) {
		if (entry.find_first_not_of("0123456789") != std::string::npos)
			continue;
		pid_t pid = std::stoi(entry);
		if (pid != getpid() && names_run(pid, run_id))
			pids.push_back(pid);
	}
	return pids;
}

// Waits (at most ~3 s) until no process names a dead run's objects; true if
// there were any.
bool wait_for_tools_of(const std::string &run_id)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
	bool any = false;
	while (!tools_of(run_id).empty()) {
		any = true;
		if (std::chrono::steady_clock::now() > deadline)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return any;
}

} // namespace

std::vector<Leftover> find_leftovers(const std::string &tracefs_root, bool include_kept)
{
	// One verdict per run: the check may wait for a dying run to let go of
	// its lock, and every object of a run must get the same answer.
	std::map<std::string, bool> dead;
	auto belongs_to_dead_run = [&](const std::string &run_id) {
		auto it = dead.find(run_id);
		if (it == dead.end())
			it = dead.emplace(run_id, !run_is_alive(run_id) && (include_kept || !run_is_kept(run_id))).first;
		return it->second;
	};
	auto scan = [&] {
		std::vector<Leftover> out;
		for (const auto &ns : entries_of("/run/netns"))
			if (auto id = run_id_of_netns(ns); id && belongs_to_dead_run(*id))
				out.push_back({"netns", ns, *id});
		for (const auto &link : entries_of("/sys/class/net"))
			if (auto id = run_id_of_link(link); id && belongs_to_dead_run(*id))
				out.push_back({"link", link, *id});
		for (const auto &inst : entries_of(tracefs_root + "/instances"))
			if (auto id = run_id_of_trace_instance(inst); id && belongs_to_dead_run(*id))
				out.push_back({"trace-instance", inst, *id});
		for (const auto &dir : entries_of(pin_root()))
			if (auto id = run_id_of_pin_dir(dir); id && belongs_to_dead_run(*id))
				out.push_back({"pin-dir", dir, *id});
		// Records of dead runs that left nothing else (killed before they
		// made anything, or their objects removed by hand): without this
		// the state directory would never go away.
		std::set<std::string> with_objects;
		for (const auto &it : out)
			with_objects.insert(it.run_id);
		for (const auto &file : entries_of(run_state_dir()))
			if (auto id = run_id_of_state_file(file); id && !with_objects.count(*id) && belongs_to_dead_run(*id))
				out.push_back({"state-file", file, *id});
		return out;
	};

	std::vector<Leftover> out = scan();
	// A run killed while an `ip` it started was adding a namespace or link
	// is dead, but that tool is not: it finishes the job a moment later and
	// outlives a sweep that listed too early. Let such tools finish, then list
	// again.
	std::set<std::string> dead_runs;
	for (const auto &it : out)
		dead_runs.insert(it.run_id);
	bool waited = false;
	for (const auto &id : dead_runs)
		waited = wait_for_tools_of(id) || waited;
	return waited ? scan() : out;
}

std::vector<std::string> remove_leftovers(const std::vector<Leftover> &items, const std::string &tracefs_root)
{
	std::vector<std::string> problems;
	for (const auto &it : items) {
		std::vector<std::string> argv;
		std::string where; // what exists as long as the object does
		if (it.kind == "netns") {
			argv = {"ip", "netns", "del", it.name};
			where = "/run/netns/" + it.name;
		} else if (it.kind == "link") {
			argv = {"ip", "link", "del", "dev", it.name};
			where = "/sys/class/net/" + it.name;
		} else if (it.kind == "state-file") {
			continue; // forget_run below
		} else if (it.kind == "pin-dir") {
			// Unlinking a pin drops bpffs's reference to the object; the
			// tree holds only what the run pinned.
			std::error_code ec;
			std::string dir = pin_root() + "/" + it.name;
			std::filesystem::remove_all(dir, ec);
			if (ec && access(dir.c_str(), F_OK) == 0)
				problems.push_back("cannot remove pin directory " + dir + ": " + ec.message());
			continue;
		} else {
			std::string dir = tracefs_root + "/instances/" + it.name;
			if (rmdir(dir.c_str()) != 0 && errno != ENOENT)
				problems.push_back("cannot remove tracefs instance " + dir);
			continue;
		}
		// Gone anyway is no problem: another sweep may have got there first.
		CommandResult r = run_command(argv);
		if (r.exit_code != 0 && access(where.c_str(), F_OK) == 0)
			problems.push_back(shell_join(argv) + ": " + r.output);
	}
	for (const auto &it : items)
		forget_run(it.run_id);
	return problems;
}

void mark_run_kept(const std::string &run_id)
{
	mkdir(run_state_dir().c_str(), 0755);
	std::ofstream(run_state_dir() + "/" + run_id + ".kept") << "kept\n";
}

bool run_is_kept(const std::string &run_id)
{
	return access((run_state_dir() + "/" + run_id + ".kept").c_str(), F_OK) == 0;
}

void forget_run(const std::string &run_id)
{
	unlink((run_state_dir() + "/" + run_id + ".kept").c_str());
	remove_run_lock(run_id); // last: it removes the directory once empty
}

} // namespace xdplab
