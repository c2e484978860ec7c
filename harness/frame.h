// Harness frames: Ethernet / IPv4 / UDP (or an ICMP echo request) carrying
// struct xdplab_tag right after the 8-byte UDP or ICMP header.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

using Mac = std::array<uint8_t, 6>;
Mac parse_mac(const std::string &s);
std::string mac_str(const Mac &m);

struct FrameSpec {
	Mac src{}, dst{};
	uint32_t src_ip = 0, dst_ip = 0; // host byte order, from 198.18.0.0/15
	uint32_t run_id = 0, case_id = 0, seq = 0;
	size_t payload_pad = 0; // extra payload bytes after the tag
	bool icmp = false;      // ICMP echo request (id = case id, seq = seq) instead of UDP
};

std::vector<uint8_t> build_frame(const FrameSpec &spec);

// A subtest's frame from 198.18.0.1 to 198.18.0.2 (MACs zero, sequence 0):
// what BPF_PROG_TEST_RUN runs, or a start to adjust for a link.
FrameSpec tagged_frame_spec(uint32_t run_id, uint32_t case_id);

struct ParsedTag {
	uint32_t run_id, case_id, seq;
	uint8_t pkt_byte;
};
// The tag of a harness frame; nullopt for anything else.
std::optional<ParsedTag> parse_tag(const uint8_t *frame, size_t len);

uint32_t ipv4(const std::string &dotted); // host byte order

} // namespace xdplab
