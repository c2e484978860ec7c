// A subtest's frames as a pcapng file (tcpdump -r, Wireshark): one interface
// per place frames were seen (the sender's link, each receiver), named and
// described so the file says which subtest and receiver it came from.
//
// Written here rather than through libpcap: libpcap 1.10 (Debian 12) writes
// only the classic pcap format, which has one interface per file and no
// interface descriptions or frame comments. libpcap reads these files back
// (the tests open them with pcap_open_offline and tcpdump -r).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace xdplab {

struct PcapFrame {
	uint64_t ts_ns = 0;         // CLOCK_REALTIME when the harness sent or read it
	std::vector<uint8_t> bytes; // as captured (may be shorter than len)
	uint32_t len = 0;           // on the wire
	bool outgoing = false;      // sent by the harness on this interface
	std::string comment;        // e.g. "sent seq 3"
};

struct PcapInterface {
	std::string name;        // the link's name in the case ("cli")
	std::string description; // "<id>/<subtest>: receiver eth (link eth in ns ...)"
	std::vector<PcapFrame> frames;
};

// The whole file: a section header, the interfaces, then every frame as an
// enhanced packet block in time order (nanosecond timestamps, Ethernet).
std::string to_pcapng(const std::vector<PcapInterface> &interfaces);

// Writes DIR/<id>--<subtest>.pcapng (atomically); returns the path.
std::string write_pcapng(const std::string &dir, const std::string &id, const std::string &subtest,
			 const std::vector<PcapInterface> &interfaces);

} // namespace xdplab
