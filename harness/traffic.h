// Tagged frames in and out of namespaces over AF_PACKET. Receivers count only
// frames carrying this run's and this subtest's tag; nothing else is evidence.
#pragma once
#include "frame.h"

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

private:
	int fd_ = -1;
};

class FrameSender {
public:
	FrameSender(const std::string &ns, const std::string &link) : sock_(ns, link) {}
	void send(const std::vector<uint8_t> &frame);

private:
	PacketSocket sock_;
};

struct CapturedFrame {
	uint32_t seq;
	uint8_t pkt_byte;
	Mac dst;
};

class FrameReceiver {
public:
	FrameReceiver(const std::string &ns, const std::string &link, uint32_t run_id, uint32_t case_id);
	// Reads what is queued now; returns how many tagged frames were added.
	int poll_once();
	const std::vector<CapturedFrame> &frames() const { return frames_; }
	int count() const { return static_cast<int>(frames_.size()); }

private:
	PacketSocket sock_;
	uint32_t run_id_, case_id_;
	std::vector<CapturedFrame> frames_;
};

} // namespace xdplab
