#include "address.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace xdplab {

std::optional<IpAddress> parse_ip(const std::string &text)
{
	IpAddress a;
	std::string addr = text;
	if (auto slash = text.find('/'); slash != std::string::npos) {
		addr = text.substr(0, slash);
		std::string p = text.substr(slash + 1);
		if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos)
			return std::nullopt;
		a.prefix = std::stoi(p);
	}
	a.text = addr;
	if (inet_pton(AF_INET, addr.c_str(), a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, addr.c_str(), a.bytes) == 1)
		a.family = AF_INET6;
	else
		return std::nullopt;
	if (a.prefix > (a.family == AF_INET ? 32 : 128))
		return std::nullopt;
	return a;
}

bool is_harness_address(const IpAddress &a)
{
	if (a.family == AF_INET)
		return a.bytes[0] == 198 && (a.bytes[1] & 0xfe) == 18 && (a.prefix < 0 || a.prefix >= 15);
	if (a.family == AF_INET6)
		return a.bytes[0] == 0xfd && (a.prefix < 0 || a.prefix >= 8);
	return false;
}

} // namespace xdplab
