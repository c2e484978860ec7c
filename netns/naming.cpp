#include "naming.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>

namespace xdplab {

namespace {
const std::string kNetnsPrefix = "xdplab-";
const std::string kLinkPrefix = "xl";

std::optional<std::string> run_id_after(const std::string &name, const std::string &prefix, bool need_dash)
{
	if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 6)
		return std::nullopt;
	std::string id = name.substr(prefix.size(), 6);
	if (!is_run_id(id))
		return std::nullopt;
	if (need_dash && (name.size() == prefix.size() + 6 || name[prefix.size() + 6] != '-'))
		return std::nullopt;
	if (!need_dash && name.size() != prefix.size() + 6)
		return std::nullopt;
	return id;
}
} // namespace

std::string new_run_id()
{
	std::random_device rd;
	char buf[8];
	snprintf(buf, sizeof(buf), "%06x", rd() & 0xffffffu);
	return buf;
}

bool is_run_id(const std::string &s)
{
	return s.size() == 6 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string netns_name(const std::string &run_id, const std::string &role)
{
	return kNetnsPrefix + run_id + "-" + role;
}

std::string link_name(const std::string &run_id, const std::string &role)
{
	if (role.empty() || role.size() > 6)
		throw std::invalid_argument("link role must be 1..6 characters: '" + role + "'");
	return kLinkPrefix + run_id + "-" + role;
}

std::string trace_instance_name(const std::string &run_id)
{
	return kNetnsPrefix + run_id;
}

std::optional<std::string> run_id_of_netns(const std::string &name)
{
	return run_id_after(name, kNetnsPrefix, true);
}

std::optional<std::string> run_id_of_link(const std::string &name)
{
	return run_id_after(name, kLinkPrefix, true);
}

std::optional<std::string> run_id_of_trace_instance(const std::string &name)
{
	return run_id_after(name, kNetnsPrefix, false);
}

std::string run_state_dir()
{
	return "/run/xdplab";
}

void write_run_pid(const std::string &run_id)
{
	mkdir(run_state_dir().c_str(), 0755);
	std::ofstream(run_state_dir() + "/" + run_id + ".pid") << getpid() << "\n";
}

void remove_run_pid(const std::string &run_id)
{
	unlink((run_state_dir() + "/" + run_id + ".pid").c_str());
	rmdir(run_state_dir().c_str()); // only succeeds once no other run has a file there
}

bool run_is_alive(const std::string &run_id)
{
	std::ifstream in(run_state_dir() + "/" + run_id + ".pid");
	pid_t pid = 0;
	if (!(in >> pid) || pid <= 0)
		return false;
	return kill(pid, 0) == 0 || errno == EPERM;
}

} // namespace xdplab
