#include "frame.h"

extern "C" {
#include <linux/types.h>
#include "../bpf/xdplab_event.h"
}

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace xdplab {

Mac parse_mac(const std::string &s)
{
	Mac m{};
	unsigned b[6];
	if (sscanf(s.c_str(), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		throw std::invalid_argument("bad MAC address " + s);
	for (int i = 0; i < 6; ++i)
		m[i] = static_cast<uint8_t>(b[i]);
	return m;
}

std::string mac_str(const Mac &m)
{
	char buf[18];
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

uint32_t ipv4(const std::string &dotted)
{
	in_addr a{};
	if (inet_pton(AF_INET, dotted.c_str(), &a) != 1)
		throw std::invalid_argument("bad IPv4 address " + dotted);
	return ntohl(a.s_addr);
}

namespace {
void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}
void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}
uint32_t get32(const uint8_t *p)
{
	return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
uint16_t ip_checksum(const uint8_t *hdr, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t(hdr[i]) << 8) | hdr[i + 1];
	if (len & 1)
		sum += uint32_t(hdr[len - 1]) << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(~sum);
}
} // namespace

FrameSpec tagged_frame_spec(uint32_t run_id, uint32_t case_id)
{
	FrameSpec spec;
	spec.src_ip = ipv4("198.18.0.1");
	spec.dst_ip = ipv4("198.18.0.2");
	spec.run_id = run_id;
	spec.case_id = case_id;
	return spec;
}

std::vector<uint8_t> build_frame(const FrameSpec &s)
{
	const size_t tag_len = sizeof(struct xdplab_tag);
	const size_t udp_len = 8 + tag_len + s.payload_pad;
	const size_t ip_len = 20 + udp_len;
	std::vector<uint8_t> f(14 + ip_len, 0);
	std::memcpy(&f[0], s.dst.data(), 6);
	std::memcpy(&f[6], s.src.data(), 6);
	put16(&f[12], 0x0800);
	uint8_t *ip = &f[14];
	ip[0] = 0x45;
	put16(ip + 2, static_cast<uint16_t>(ip_len));
	put16(ip + 4, static_cast<uint16_t>(s.seq));
	ip[8] = 64;
	ip[9] = s.icmp ? 1 : 17;
	put32(ip + 12, s.src_ip);
	put32(ip + 16, s.dst_ip);
	put16(ip + 10, ip_checksum(ip, 20));
	uint8_t *udp = ip + 20;
	uint8_t *tag = udp + 8;
	put32(tag, XDPLAB_MAGIC);
	put32(tag + 4, s.run_id);
	put32(tag + 8, s.case_id);
	put32(tag + 12, s.seq);
	tag[16] = XDPLAB_PKT_BYTE_START;
	if (s.icmp) {
		udp[0] = 8; // echo request
		put16(udp + 4, static_cast<uint16_t>(s.case_id));
		put16(udp + 6, static_cast<uint16_t>(s.seq));
		put16(udp + 2, ip_checksum(udp, udp_len));
		return f;
	}
	put16(udp, XDPLAB_UDP_PORT);
	put16(udp + 2, XDPLAB_UDP_PORT);
	put16(udp + 4, static_cast<uint16_t>(udp_len));
	// UDP checksum 0 ("none", legal for IPv4): the stages rewrite pkt_byte on the way.
	return f;
}

std::optional<ParsedTag> parse_tag(const uint8_t *f, size_t len)
{
	const size_t need = XDPLAB_TAG_OFFSET + sizeof(struct xdplab_tag);
	if (len < need)
		return std::nullopt;
	if (f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 || (f[23] != 17 && f[23] != 1))
		return std::nullopt;
	if (f[23] == 17 && ((f[36] << 8) | f[37]) != XDPLAB_UDP_PORT)
		return std::nullopt;
	const uint8_t *tag = f + XDPLAB_TAG_OFFSET;
	if (get32(tag) != XDPLAB_MAGIC)
		return std::nullopt;
	return ParsedTag{get32(tag + 4), get32(tag + 8), get32(tag + 12), tag[16]};
}

} // namespace xdplab
