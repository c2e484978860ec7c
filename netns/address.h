// The only addresses traffic of the harness may carry: 198.18.0.0/15
// (benchmarking, RFC 2544) and fd00::/8 (unique local, RFC 4193).
#pragma once
#include <optional>
#include <string>

namespace xdplab {

struct IpAddress {
	int family = 0;              // AF_INET or AF_INET6
	unsigned char bytes[16]{};   // network order; 4 used for IPv4
	int prefix = -1;             // from a CIDR; -1 without one
	std::string text;            // without the prefix
};

// "198.18.1.2", "198.18.1.2/24", "fd00::1/64"; nullopt when it is neither.
std::optional<IpAddress> parse_ip(const std::string &text);

// Inside 198.18.0.0/15 or fd00::/8 (and, for a CIDR, its whole prefix too).
bool is_harness_address(const IpAddress &a);

} // namespace xdplab
