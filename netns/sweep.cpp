#include "sweep.h"

#include "../harness/command.h"
#include "naming.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace xdplab {

namespace {

bool belongs_to_dead_run(const std::string &run_id, bool include_kept)
{
	if (run_is_alive(run_id))
		return false;
	return include_kept || !run_is_kept(run_id);
}

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

} // namespace

std::vector<Leftover> find_leftovers(const std::string &tracefs_root, bool include_kept)
{
	std::vector<Leftover> out;
	for (const auto &ns : entries_of("/run/netns"))
		if (auto id = run_id_of_netns(ns); id && belongs_to_dead_run(*id, include_kept))
			out.push_back({"netns", ns, *id});
	for (const auto &link : entries_of("/sys/class/net"))
		if (auto id = run_id_of_link(link); id && belongs_to_dead_run(*id, include_kept))
			out.push_back({"link", link, *id});
	for (const auto &inst : entries_of(tracefs_root + "/instances"))
		if (auto id = run_id_of_trace_instance(inst); id && belongs_to_dead_run(*id, include_kept))
			out.push_back({"trace-instance", inst, *id});
	return out;
}

std::vector<std::string> remove_leftovers(const std::vector<Leftover> &items, const std::string &tracefs_root)
{
	std::vector<std::string> problems;
	for (const auto &it : items) {
		std::vector<std::string> argv;
		if (it.kind == "netns") {
			argv = {"ip", "netns", "del", it.name};
		} else if (it.kind == "link") {
			argv = {"ip", "link", "del", "dev", it.name};
		} else {
			std::string dir = tracefs_root + "/instances/" + it.name;
			if (rmdir(dir.c_str()) != 0)
				problems.push_back("cannot remove tracefs instance " + dir);
			continue;
		}
		CommandResult r = run_command(argv);
		if (r.exit_code != 0)
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
	remove_run_pid(run_id); // last: it removes the directory once empty
}

} // namespace xdplab
