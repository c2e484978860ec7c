#include "tcp_transfer.h"

#include "../../netns/netns_scope.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <vector>

namespace xdplab {

namespace {

class FdGuard {
public:
	explicit FdGuard(int fd = -1) : fd_(fd) {}
	~FdGuard()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	FdGuard(const FdGuard &) = delete;
	FdGuard &operator=(const FdGuard &) = delete;
	int get() const { return fd_; }

private:
	int fd_;
};

void set_timeouts(int fd, int seconds)
{
	timeval tv{seconds, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

sockaddr_storage sockaddr_of(int af, const std::string &addr, uint16_t port)
{
	sockaddr_storage ss{};
	if (af == AF_INET) {
		auto *s = reinterpret_cast<sockaddr_in *>(&ss);
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		inet_pton(AF_INET, addr.c_str(), &s->sin_addr);
	} else {
		auto *s = reinterpret_cast<sockaddr_in6 *>(&ss);
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		inet_pton(AF_INET6, addr.c_str(), &s->sin6_addr);
	}
	return ss;
}

// A socket made inside a namespace keeps it: setns() is per thread, so each
// is made on a thread of its own.
int socket_in(const std::string &ns, int af)
{
	return std::async(std::launch::async, [&] {
		       NetnsScope in(ns);
		       return socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);
	       }).get();
}

} // namespace

std::string tcp_transfer(const std::string &client_ns, const std::string &server_ns, const std::string &server_addr,
			 uint16_t port, size_t bytes, int timeout_s)
{
	const int af = server_addr.find(':') != std::string::npos ? AF_INET6 : AF_INET;
	const size_t kTransferBytes = bytes;
	const int kTcpTimeoutS = timeout_s;
	FdGuard lfd(socket_in(server_ns, af));
	if (lfd.get() < 0)
		return std::string("socket: ") + strerror(errno);
	int one = 1;
	setsockopt(lfd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sockaddr_storage sa = sockaddr_of(af, server_addr, port);
	socklen_t len = af == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
	if (bind(lfd.get(), reinterpret_cast<sockaddr *>(&sa), len) != 0 || listen(lfd.get(), 1) != 0)
		return std::string("bind/listen: ") + strerror(errno);

	FdGuard cfd(socket_in(client_ns, af));
	if (cfd.get() < 0)
		return std::string("socket: ") + strerror(errno);
	set_timeouts(cfd.get(), kTcpTimeoutS);
	auto client = std::async(std::launch::async, [&]() -> std::string {
		if (connect(cfd.get(), reinterpret_cast<sockaddr *>(&sa), len) != 0)
			return std::string("connect: ") + strerror(errno);
		std::vector<char> buf(65536, 'x');
		size_t sent = 0;
		while (sent < kTransferBytes) {
			ssize_t n = send(cfd.get(), buf.data(), std::min(buf.size(), kTransferBytes - sent), MSG_NOSIGNAL);
			if (n <= 0)
				return std::string("send: ") + strerror(errno);
			sent += n;
		}
		shutdown(cfd.get(), SHUT_WR);
		return "";
	});

	std::string result;
	pollfd p{lfd.get(), POLLIN, 0};
	if (poll(&p, 1, kTcpTimeoutS * 1000) != 1) {
		result = "no connection within " + std::to_string(kTcpTimeoutS) + " s";
	} else {
		FdGuard afd(accept4(lfd.get(), nullptr, nullptr, SOCK_CLOEXEC));
		set_timeouts(afd.get(), kTcpTimeoutS);
		size_t got = 0;
		std::vector<char> buf(65536);
		for (;;) {
			ssize_t n = recv(afd.get(), buf.data(), buf.size(), 0);
			if (n <= 0) {
				if (n < 0)
					result = std::string("recv: ") + strerror(errno);
				break;
			}
			got += n;
		}
		if (result.empty() && got != kTransferBytes)
			result = "received " + std::to_string(got) + " of " + std::to_string(kTransferBytes) + " bytes";
	}
	std::string c = client.get();
	return c.empty() ? result : c;
}


} // namespace xdplab
