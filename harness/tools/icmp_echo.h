// ICMP and ICMPv6 echo messages in captured frames: which request or reply
// (identifier, sequence) a frame is, and whether its checksum is right (for
// ICMPv6 with the pseudo-header). What a real ping is accounted by.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

namespace xdplab {

struct EchoMessage {
	bool ipv6 = false;
	bool reply = false; // echo reply (0 / 129), else request (8 / 128)
	uint16_t id = 0, seq = 0;
	bool checksum_ok = false;
};

// From an Ethernet frame; nullopt for anything that is not an echo message.
std::optional<EchoMessage> parse_echo_frame(const uint8_t *frame, size_t len);
// From an IP packet (no Ethernet header), as the kernel's drop records hold it.
std::optional<EchoMessage> parse_echo_packet(const uint8_t *ip, size_t len);

} // namespace xdplab
