#include "traffic.h"

#include "../netns/netns_scope.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/types.h>
extern "C" {
#include "../bpf/xdplab_event.h"
}
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace xdplab {

uint64_t realtime_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_REALTIME, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

PacketSocket::PacketSocket(const std::string &ns, const std::string &link)
{
	// The socket belongs to the namespace it was created in, for its whole life.
	NetnsScope scope(ns);
	int ifindex = static_cast<int>(if_nametoindex(link.c_str()));
	if (!ifindex)
		throw std::runtime_error("no link " + link + " in " + ns);
	fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd_ < 0)
		throw std::runtime_error(std::string("AF_PACKET socket: ") + strerror(errno));
	sockaddr_ll sll{};
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(fd_, reinterpret_cast<sockaddr *>(&sll), sizeof(sll)) != 0) {
		int e = errno;
		close(fd_);
		throw std::runtime_error("bind AF_PACKET to " + link + ": " + strerror(e));
	}
}

PacketSocket::~PacketSocket()
{
	if (fd_ >= 0)
		close(fd_);
}

unsigned PacketSocket::drops()
{
	tpacket_stats st{};
	socklen_t len = sizeof(st);
	if (getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
		throw std::runtime_error(std::string("PACKET_STATISTICS: ") + strerror(errno));
	drops_ += st.tp_drops;
	return drops_;
}

void FrameSender::send(const std::vector<uint8_t> &frame)
{
	for (int attempt = 0; attempt < 100; ++attempt) {
		if (::send(sock_.fd(), frame.data(), frame.size(), 0) == static_cast<ssize_t>(frame.size()))
			return;
		if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
			throw std::runtime_error(std::string("send frame: ") + strerror(errno));
		usleep(1000);
	}
	throw std::runtime_error("send frame: queue stayed full");
}

int PacketSocket::receive_queued(const std::function<bool(const uint8_t *, size_t, uint32_t)> &take)
{
	return receive_queued([&](const uint8_t *b, size_t got, uint32_t len, bool outgoing) {
		// our own transmissions on this link are not receptions
		return outgoing ? false : take(b, got, len);
	});
}

int PacketSocket::receive_queued(const std::function<bool(const uint8_t *, size_t, uint32_t, bool)> &take)
{
	int added = 0;
	uint8_t buf[2048];
	for (;;) {
		sockaddr_ll from{};
		socklen_t fl = sizeof(from);
		// MSG_TRUNC: the frame's real length, even if the buffer held less of it.
		ssize_t n = recvfrom(fd_, buf, sizeof(buf), MSG_TRUNC, reinterpret_cast<sockaddr *>(&from), &fl);
		if (n < 0)
			break;
		added += take(buf, std::min(static_cast<size_t>(n), sizeof(buf)), static_cast<uint32_t>(n),
			      from.sll_pkttype == PACKET_OUTGOING);
	}
	return added;
}

FrameReceiver::FrameReceiver(const std::string &ns, const std::string &link, uint32_t run_id, uint32_t case_id)
	: sock_(ns, link), run_id_(run_id), case_id_(case_id)
{
	// Only frames that may be ours reach the socket's queue: a link busy with
	// other traffic (a TCP transfer) must not make the queue overflow and
	// cost tagged frames. IPv4 (header of 20 bytes) to the harness's UDP
	// port, or ICMP carrying the tag's magic right after its header.
	static sock_filter code[] = {
		{0x28, 0, 0, 12},                      // ldh [12]       ethertype
		{0x15, 0, 9, 0x0800},                  // jne IPv4 -> drop
		{0x30, 0, 0, 14},                      // ldb [14]       version/ihl
		{0x15, 0, 7, 0x45},                    // jne 0x45 -> drop
		{0x30, 0, 0, 23},                      // ldb [23]       protocol
		{0x15, 0, 2, 17},                      // jne UDP -> icmp
		{0x28, 0, 0, 36},                      // ldh [36]       destination port
		{0x15, 2, 3, XDPLAB_UDP_PORT},         // jeq port -> accept, else drop
		{0x20, 0, 0, XDPLAB_TAG_OFFSET},       // icmp: ld [42]  the tag's magic
		{0x15, 0, 1, XDPLAB_MAGIC},            // jne magic -> drop
		{0x06, 0, 0, 0x40000},                 // accept
		{0x06, 0, 0, 0},                       // drop
	};
	sock_fprog prog{static_cast<unsigned short>(sizeof(code) / sizeof(code[0])), code};
	if (setsockopt(sock_.fd(), SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) != 0)
		throw std::runtime_error(std::string("SO_ATTACH_FILTER: ") + strerror(errno));
}

int FrameReceiver::poll_once()
{
	return sock_.receive_queued([this](const uint8_t *buf, size_t got, uint32_t len) {
		auto tag = parse_tag(buf, got);
		if (!tag || tag->run_id != run_id_ || tag->case_id != case_id_)
			return false; // background traffic, or another subtest's: not evidence
		Mac dst, src;
		std::memcpy(dst.data(), buf, 6);
		std::memcpy(src.data(), buf + 6, 6);
		frames_.push_back({tag->seq, tag->pkt_byte, dst, src, len});
		raw_.push_back({std::vector<uint8_t>(buf, buf + got), len, false, realtime_ns()});
		return true;
	});
}

int RawCapture::poll_once()
{
	return sock_.receive_queued([this](const uint8_t *buf, size_t got, uint32_t len, bool outgoing) {
		if (outgoing && !with_outgoing_)
			return false;
		frames_.push_back({std::vector<uint8_t>(buf, buf + got), len, outgoing, realtime_ns()});
		return true;
	});
}

} // namespace xdplab
