// Tagged frames in and out of namespaces over AF_PACKET. Receivers count only
// frames carrying this run's and this subtest's tag; nothing else is evidence.
#pragma once
#include "frame.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace xdplab {

class PacketSocket {
public:
	PacketSocket(const std::string &ns, const std::string &link);
	~PacketSocket();
	PacketSocket(const PacketSocket &) = delete;
	PacketSocket &operator=(const PacketSocket &) = delete;
	int fd() const { return fd_; }
	// Every frame queued now that the link received (our own transmissions left
	// out): `take(bytes, captured, length)` with at most 2048 bytes captured and
	// the frame's real length; returns how many frames `take` accepted.
	int receive_queued(const std::function<bool(const uint8_t *, size_t, uint32_t)> &take);
	// Also hand over what the link sends, each frame flagged by `outgoing`.
	int receive_queued(const std::function<bool(const uint8_t *, size_t, uint32_t, bool outgoing)> &take);
	// Frames the kernel dropped for this socket since it was opened (its
	// receive queue was full): a receiver that lost frames must say so.
	unsigned drops();

private:
	int fd_ = -1;
	unsigned drops_ = 0; // PACKET_STATISTICS resets on each read: the sum so far
};

// CLOCK_REALTIME in nanoseconds: when a frame was sent or read.
uint64_t realtime_ns();

class FrameSender {
public:
	FrameSender(const std::string &ns, const std::string &link) : sock_(ns, link) {}
	void send(const std::vector<uint8_t> &frame);

private:
	PacketSocket sock_;
};

// A frame with its bytes, as a receiver read it.
struct RawFrame {
	std::vector<uint8_t> bytes; // as much as was read (up to 2048 bytes)
	uint32_t len;               // on the wire
	bool outgoing = false;      // sent by the link (only with_outgoing captures these)
	uint64_t ts_ns = 0;         // CLOCK_REALTIME when it was read
};

struct CapturedFrame {
	uint32_t seq;
	uint8_t pkt_byte;
	Mac dst, src;
	uint32_t len; // on the wire, even when longer than what was read of it
};

class FrameReceiver {
public:
	FrameReceiver(const std::string &ns, const std::string &link, uint32_t run_id, uint32_t case_id);
	// Reads what is queued now; returns how many tagged frames were added.
	int poll_once();
	const std::vector<CapturedFrame> &frames() const { return frames_; }
	// The same frames with their bytes and when they were read (for --pcap).
	const std::vector<RawFrame> &raw_frames() const { return raw_; }
	int count() const { return static_cast<int>(frames_.size()); }
	// Frames of any kind the socket lost (see PacketSocket::drops()).
	unsigned drops() { return sock_.drops(); }

private:
	PacketSocket sock_;
	uint32_t run_id_, case_id_;
	std::vector<CapturedFrame> frames_;
	std::vector<RawFrame> raw_;
};

// Every frame a link receives, whatever it is, with its bytes: for checks on
// what a program wrote into frames that are not the harness's own (MACs,
// checksums of ICMP replies). Frames the link sends are left out.
class RawCapture {
public:
	RawCapture(const std::string &ns, const std::string &link, bool with_outgoing = false)
		: sock_(ns, link), with_outgoing_(with_outgoing)
	{
	}
	// Reads what is queued now; returns how many frames were added.
	int poll_once();
	const std::vector<RawFrame> &frames() const { return frames_; }
	unsigned drops() { return sock_.drops(); }

private:
	PacketSocket sock_;
	bool with_outgoing_;
	std::vector<RawFrame> frames_;
};

} // namespace xdplab
