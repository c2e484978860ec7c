#include "naming.h"

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

namespace {
const std::string kNetnsPrefix = "xdplab-";
const std::string kLinkPrefix = "xl";
constexpr unsigned kSlotMask = kRunSlots - 1;

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

std::string pin_root()
{
	const char *env = std::getenv("XDPLAB_PIN_ROOT");
	return env && *env ? env : "/sys/fs/bpf";
}

std::string pin_dir_name(const std::string &run_id)
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

std::optional<std::string> run_id_of_pin_dir(const std::string &name)
{
	return run_id_after(name, kNetnsPrefix, false);
}

unsigned run_slot(const std::string &run_id)
{
	return static_cast<unsigned>(std::stoul(run_id, nullptr, 16)) & kSlotMask;
}

} // namespace xdplab
