#include "icmp_echo.h"

namespace xdplab {

namespace {

uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum = 0)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t(p[i]) << 8) | p[i + 1];
	if (len & 1)
		sum += uint32_t(p[len - 1]) << 8;
	return sum;
}

// The one's complement sum over a correct message (checksum included) is 0xffff.
bool folds_to_ones(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

} // namespace

std::optional<EchoMessage> parse_echo_packet(const uint8_t *b, size_t len)
{
	if (len < 20)
		return std::nullopt;
	EchoMessage m;
	if ((b[0] >> 4) == 4) {
		size_t ihl = (b[0] & 0xf) * 4, tot = (b[2] << 8) | b[3];
		if (b[9] != 1 || ihl < 20 || tot < ihl + 8 || len < ihl + 8)
			return std::nullopt;
		const uint8_t *icmp = b + ihl;
		if (icmp[0] != 8 && icmp[0] != 0)
			return std::nullopt;
		m.reply = icmp[0] == 0;
		m.id = (icmp[4] << 8) | icmp[5];
		m.seq = (icmp[6] << 8) | icmp[7];
		m.checksum_ok = tot <= len && folds_to_ones(sum16(icmp, tot - ihl));
		return m;
	}
	if ((b[0] >> 4) == 6 && len >= 48 && b[6] == 58) {
		size_t plen = (b[4] << 8) | b[5];
		const uint8_t *icmp = b + 40;
		if (icmp[0] != 128 && icmp[0] != 129)
			return std::nullopt;
		m.ipv6 = true;
		m.reply = icmp[0] == 129;
		m.id = (icmp[4] << 8) | icmp[5];
		m.seq = (icmp[6] << 8) | icmp[7];
		if (40 + plen <= len) {
			uint32_t sum = sum16(b + 8, 32) + plen + 58; // pseudo-header: addresses, length, next header
			m.checksum_ok = folds_to_ones(sum16(icmp, plen, sum));
		}
		return m;
	}
	return std::nullopt;
}

std::optional<EchoMessage> parse_echo_frame(const uint8_t *f, size_t len)
{
	if (len < 14)
		return std::nullopt;
	uint16_t proto = (f[12] << 8) | f[13];
	if (proto != 0x0800 && proto != 0x86dd)
		return std::nullopt;
	return parse_echo_packet(f + 14, len - 14);
}

} // namespace xdplab
