#include "ethtool_counters.h"

#include "netns_scope.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace xdplab {

namespace {

class IoctlSocket {
public:
	explicit IoctlSocket(const std::string &ns)
	{
		NetnsScope in(ns); // the device is looked up in the socket's namespace
		fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd_ < 0)
			throw std::runtime_error(std::string("ethtool socket: ") + strerror(errno));
	}
	~IoctlSocket() { close(fd_); }
	IoctlSocket(const IoctlSocket &) = delete;
	IoctlSocket &operator=(const IoctlSocket &) = delete;

	// One SIOCETHTOOL request; the errno, 0 on success.
	int ask(const std::string &dev, void *cmd) const
	{
		ifreq ifr{};
		std::strncpy(ifr.ifr_name, dev.c_str(), IFNAMSIZ - 1);
		ifr.ifr_data = static_cast<char *>(cmd);
		return ioctl(fd_, SIOCETHTOOL, &ifr) == 0 ? 0 : errno;
	}

private:
	int fd_ = -1;
};

} // namespace

std::map<std::string, unsigned long long> ethtool_counters(const std::string &ns, const std::string &dev)
{
	IoctlSocket s(ns);
	auto fail = [&](const char *what, int e) {
		return std::runtime_error("ethtool -S " + dev + " (" + what + "): " + strerror(e));
	};
	// How many: ETHTOOL_GSSET_INFO for the stats string set.
	std::vector<uint8_t> info(sizeof(ethtool_sset_info) + sizeof(uint32_t));
	auto *si = reinterpret_cast<ethtool_sset_info *>(info.data());
	si->cmd = ETHTOOL_GSSET_INFO;
	si->sset_mask = 1ULL << ETH_SS_STATS;
	if (int e = s.ask(dev, si); e == EOPNOTSUPP)
		return {};
	else if (e)
		throw fail("count", e);
	const uint32_t n = si->sset_mask ? si->data[0] : 0;
	if (n == 0)
		return {};
	std::vector<uint8_t> names(sizeof(ethtool_gstrings) + n * ETH_GSTRING_LEN);
	auto *gs = reinterpret_cast<ethtool_gstrings *>(names.data());
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = n;
	if (int e = s.ask(dev, gs))
		throw fail("names", e);
	std::vector<uint8_t> values(sizeof(::ethtool_stats) + n * sizeof(uint64_t));
	auto *st = reinterpret_cast<::ethtool_stats *>(values.data());
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	if (int e = s.ask(dev, st))
		throw fail("values", e);
	std::map<std::string, unsigned long long> out;
	for (uint32_t i = 0; i < n && i < gs->len && i < st->n_stats; ++i) {
		const char *name = reinterpret_cast<const char *>(gs->data + i * ETH_GSTRING_LEN);
		out[std::string(name, strnlen(name, ETH_GSTRING_LEN))] = st->data[i];
	}
	return out;
}

} // namespace xdplab
