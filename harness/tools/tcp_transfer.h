// A TCP transfer between two namespaces: a listener on SERVER_ADDR inside
// SERVER_NS, a client inside CLIENT_NS sending BYTES. Sockets keep the
// namespace they were made in, so each is made on a thread of its own.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace xdplab {

// "" on success, else what went wrong ("connect: ...", "received N of M bytes").
std::string tcp_transfer(const std::string &client_ns, const std::string &server_ns, const std::string &server_addr,
			 uint16_t port, size_t bytes, int timeout_s);

} // namespace xdplab
