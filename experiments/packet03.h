// What the experiments of xdp-tutorial packet03 (seed 003) share: the real
// ping in a namespace, the tutorial's per-action statistics map read back as
// xdp_stats would, and the MAC address of a link.
#pragma once
#include "harness/command.h"
#include "harness/frame.h"
#include "harness/plan.h"
#include "netns/netns_scope.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab::p03 {

inline const char *action_name(unsigned a)
{
	static const char *names[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"};
	return a < 5 ? names[a] : "?";
}

struct PingResult {
	int received = 0;
	std::string output;
};

// iputils ping, as the tutorial's `t ping` runs it. A fixed count without a
// deadline: exactly `count` requests go out (a deadline would keep sending
// until `count` replies came), and -W bounds the wait for late replies.
inline PingResult ping(const std::string &ns, const std::string &addr, bool ipv6, int count)
{
	std::vector<std::string> argv{"ip", "netns", "exec", ns, "ping"};
	if (ipv6)
		argv.push_back("-6");
	for (const char *a : {"-n", "-i", "0.2", "-W", "1", "-c"})
		argv.push_back(a);
	argv.push_back(std::to_string(count));
	argv.push_back(addr);
	CommandResult r = run_command(argv);
	PingResult out{0, shell_join(argv) + "\n" + r.output};
	std::smatch m;
	// "5 packets transmitted, 5 received" (iputils) or "5 packets received" (busybox)
	static const std::regex received(R"((\d+) (packets )?received)");
	if (std::regex_search(r.output, m, received))
		out.received = std::stoi(m[1]);
	else if (r.exit_code != 1) // 1 is "no reply"; anything else is ping itself failing
		throw CommandError(shell_join(argv), r);
	return out;
}

struct ActionCount {
	unsigned long long packets = 0, bytes = 0;
};

// xdp_stats_map summed over the CPUs, per action (XDP_ABORTED..XDP_REDIRECT).
inline std::vector<ActionCount> read_stats(int map_fd)
{
	struct datarec {
		__u64 rx_packets, rx_bytes;
	};
	int ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		throw std::runtime_error("cannot count possible CPUs");
	std::vector<ActionCount> out(5);
	std::vector<datarec> values(ncpus);
	for (__u32 a = 0; a < out.size(); ++a) {
		if (bpf_map_lookup_elem(map_fd, &a, values.data()))
			throw std::runtime_error(std::string("xdp_stats_map lookup: ") + strerror(errno));
		for (const auto &v : values) {
			out[a].packets += v.rx_packets;
			out[a].bytes += v.rx_bytes;
		}
	}
	return out;
}

inline json stats_json(const std::vector<ActionCount> &s)
{
	json j = json::object();
	for (unsigned a = 0; a < s.size(); ++a)
		j[action_name(a)] = {{"packets", s[a].packets}, {"bytes", s[a].bytes}};
	return j;
}

// The actions that counted any packet, in action order: what xdp_stats shows
// as non-zero rows.
inline json nonzero_actions(const std::vector<ActionCount> &s)
{
	json j = json::array();
	for (unsigned a = 0; a < s.size(); ++a)
		if (s[a].packets)
			j.push_back(action_name(a));
	return j;
}

inline Mac mac_of(const std::string &ns, const std::string &link)
{
	NetnsScope scope(ns);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		throw std::runtime_error(std::string("socket: ") + strerror(errno));
	ifreq ifr{};
	std::strncpy(ifr.ifr_name, link.c_str(), IFNAMSIZ - 1);
	int rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	int e = errno;
	close(fd);
	if (rc)
		throw std::runtime_error("SIOCGIFHWADDR " + link + ": " + strerror(e));
	Mac m;
	std::memcpy(m.data(), ifr.ifr_hwaddr.sa_data, 6);
	return m;
}

} // namespace xdplab::p03
