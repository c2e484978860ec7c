// fib-lookup-router
//
// Claim (seed 003, xdp-tutorial packet03 assignment 4; the kernel's
// samples/bpf/xdp_fwd_kern.c): an XDP program forwards between any two
// interfaces with bpf_fib_lookup(); "forwarding should be enabled for this
// Assignment" because the helper returns BPF_FIB_LKUP_RET_FWD_DISABLED when
// forwarding is off on the ingress interface; "Programs should return
// XDP_PASS for inner-outer communications" (traffic to the router itself).
// History (kernel-history row 12): the check is on the *ingress* device's
// own forwarding setting (net.ipv4.conf.<if>.forwarding,
// net.ipv6.conf.<if>.forwarding), not only on `all`.
//
// Topology: a router namespace rtr with three links r1..r3, each to a host
// namespace h1..h3 (198.18.<i>.0/24, fd00:0:0:<i>::/64; hosts route via
// the router). xdp_fib_router on r1..r3, xdp_pass on h1..h3 (a native
// redirect into a veth needs an XDP program on the peer, row 7). Checksum
// offload is off on every link: a frame redirected by XDP loses the skb's
// CHECKSUM_PARTIAL state, and TCP would arrive with an unfinished checksum.
// Forwarding is on (all) in rtr, so that what the program passes (the first
// packet to a neighbour not yet resolved) the stack forwards.
//
// Procedure, per address family: ping every pair and the router (this also
// resolves the neighbours), a TCP transfer between every pair over sockets
// opened by the harness in the host namespaces; then, reading the program's
// per-destination counts of lookup results around each case:
//   forwarding_on:          h1 -> h2, all links forwarding;
//   to_router:              h1 -> the router's own address on r1;
//   forwarding_off_ingress: h1 -> h2 with forwarding off on r1 only;
//   forwarding_off_egress:  h2 -> h1 with forwarding off on r1 only (r1 is
//                           the egress of the request);
// then forwarding back on.
//
// Observations: fib_ret per case (the lookup return code(s) of that case's
// packets), ping_ok / tcp_ok per pair, passed_to_router (the router's own
// traffic left to the stack and answered), actions (what the program
// returned over the whole subtest, by XDP action), stack_forwards_when_off
// (the pings of the forwarding-off cases answered: the program passed the
// packets, so this is the stack's own forwarding decision).
//
// Expectation: experiments/fib-lookup-router.json.
#include "harness/bpf_object.h"
#include "harness/command.h"
#include "harness/experiment.h"
#include "harness/xdp_attach.h"
#include "netns/netns_scope.h"

#include "fib_router.skel.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <thread>

namespace xdplab {

namespace {

// Mirrors struct fib_key / struct fib_count of bpf/fib_router.bpf.c.
struct FibKey {
	uint32_t family;
	uint8_t dst[16];
};
struct FibCount {
	uint64_t ret[16];
	uint64_t action[5];
};

const char *kActionNames[] = {"aborted", "drop", "pass", "tx", "redirect"};

struct Family {
	int af;
	std::string name; // "ipv4" / "ipv6"
	std::string host(int i) const
	{
		return af == AF_INET ? "198.18." + std::to_string(i) + ".2" : "fd00:0:0:" + std::to_string(i) + "::2";
	}
	std::string router(int i) const
	{
		return af == AF_INET ? "198.18." + std::to_string(i) + ".1" : "fd00:0:0:" + std::to_string(i) + "::1";
	}
	std::string sysctl_dir() const { return af == AF_INET ? "ipv4" : "ipv6"; }
};

Family family_of(int af)
{
	return af == AF_INET ? Family{AF_INET, "ipv4"} : Family{AF_INET6, "ipv6"};
}

FibKey key_of(const Family &f, const std::string &addr)
{
	FibKey k{};
	k.family = f.af;
	if (inet_pton(f.af, addr.c_str(), k.dst) != 1)
		throw std::invalid_argument("bad address " + addr);
	return k;
}

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

sockaddr_storage sockaddr_of(const Family &f, const std::string &addr, uint16_t port)
{
	sockaddr_storage ss{};
	if (f.af == AF_INET) {
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

constexpr size_t kTransferBytes = 1 << 20;
constexpr uint16_t kTcpPort = 47475; // + the pair's index: no pair meets another's TIME_WAIT
// Generous: a loaded 2-core machine running many subtests at once may need a
// few TCP retransmissions (1 s, 3 s, 7 s after a lost SYN).
constexpr int kTcpTimeoutS = 20;

// Sends kTransferBytes from `client_ns` to `server_addr` in `server_ns` over
// TCP; returns "" on success, else what went wrong.
std::string tcp_transfer(const Family &f, const std::string &client_ns, const std::string &server_ns,
			 const std::string &server_addr, uint16_t port)
{
	FdGuard lfd(socket_in(server_ns, f.af));
	if (lfd.get() < 0)
		return std::string("socket: ") + strerror(errno);
	int one = 1;
	setsockopt(lfd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sockaddr_storage sa = sockaddr_of(f, server_addr, port);
	socklen_t len = f.af == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
	if (bind(lfd.get(), reinterpret_cast<sockaddr *>(&sa), len) != 0 || listen(lfd.get(), 1) != 0)
		return std::string("bind/listen: ") + strerror(errno);

	FdGuard cfd(socket_in(client_ns, f.af));
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

bool ping(const Family &f, const std::string &ns, const std::string &addr, json &log, int count = 1)
{
	std::vector<std::string> argv{"ip", "netns", "exec", ns, "ping"};
	if (f.af == AF_INET6)
		argv.push_back("-6");
	for (const char *a : {"-n", "-q", "-i", "0.2", "-W", "1", "-c"})
		argv.push_back(a);
	argv.push_back(std::to_string(count));
	argv.push_back(addr);
	CommandResult r = run_command(argv);
	log.push_back({{"command", shell_join(argv)}, {"exit", r.exit_code}, {"output", r.output}});
	return r.exit_code == 0;
}

// /proc/sys/net is the namespace of the thread that opens it.
void write_sysctl(const std::string &ns, const std::string &path, const std::string &value)
{
	std::async(std::launch::async, [&] {
		NetnsScope in(ns);
		std::ofstream f("/proc/sys/" + path);
		f << value << "\n";
		f.close();
		if (!f)
			throw std::runtime_error("cannot write " + value + " to /proc/sys/" + path);
	}).get();
}

} // namespace

struct FibParams {
	int af;
};

class FibLookupRouter : public DeclaredExperiment<FibParams> {
public:
	FibLookupRouter()
		: DeclaredExperiment("fib-lookup-router", {{"ipv4", {.af = AF_INET}}, {"ipv6", {.af = AF_INET6}}},
				     {"fib_ret", "ping_ok", "tcp_ok", "passed_to_router", "actions",
				      "stack_forwards_when_off"})
	{
	}

	Plan plan(const FibParams &p) const override
	{
		const Family f = family_of(p.af);
		ProcedurePlan plan;
		plan.namespaces = {"rtr", "h1", "h2", "h3"};
		if (p.af == AF_INET6)
			plan.ipv6_namespaces = plan.namespaces;
		for (int i = 1; i <= 3; ++i) {
			std::string r = "r" + std::to_string(i), h = "h" + std::to_string(i);
			plan.veths.push_back({"rtr", r, h, h});
			std::string prefix = p.af == AF_INET ? "/24" : "/64";
			plan.addresses.push_back({r, f.router(i) + prefix});
			plan.addresses.push_back({h, f.host(i) + prefix});
			plan.routes.push_back({h, {p.af == AF_INET ? "default" : "::/0", "via", f.router(i)}});
			plan.offloads.push_back({r, "tx", false});
			plan.offloads.push_back({h, "tx", false});
		}
		plan.sysctls = {{"rtr", "net." + f.sysctl_dir() + ".conf.all.forwarding", "1"}};
		std::string ping = p.af == AF_INET ? "ping -c 1" : "ping -6 -c 1";
		plan.steps = {
			"# load build/bpf/fib_router.bpf.o; xdp_fib_router on r1, r2, r3 (native), xdp_pass on h1, h2, h3",
			"# every pair (h1-h2, h1-h3, h2-h3): ip netns exec <ha> " + ping + " " + f.host(2) +
				" ...; and every host to its router address",
			"# every pair: a 1 MiB TCP transfer over sockets opened in <ha> and <hb>",
			"# forwarding_on: ip netns exec <h1> " + ping + " " + f.host(2) + ", counts of map fib_counts[" +
				f.host(2) + "] before and after",
			"# to_router: ip netns exec <h1> " + ping + " " + f.router(1) + ", counts of fib_counts[" +
				f.router(1) + "]",
			"ip netns exec <rtr> sysctl -w net." + f.sysctl_dir() + ".conf.<r1>.forwarding=0",
			"# forwarding_off_ingress: ip netns exec <h1> " + ping + " " + f.host(2) +
				"; forwarding_off_egress: ip netns exec <h2> " + ping + " " + f.host(1),
			"ip netns exec <rtr> sysctl -w net." + f.sysctl_dir() + ".conf.<r1>.forwarding=1",
		};
		plan.run = [f](ProcedureContext &ctx) { return measure(ctx, f); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const Family &f)
	{
		if (!ctx.has("ping"))
			throw SkipSubtest("ping (iputils) is not installed");
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		BpfObject<fib_router> obj("fib_router", ctx.events(), ident, [](fib_router &) {});
		std::vector<std::unique_ptr<XdpAttachment>> attached;
		for (int i = 1; i <= 3; ++i) {
			std::string r = "r" + std::to_string(i), h = "h" + std::to_string(i);
			attached.push_back(XdpAttachment::attach(ctx.netns_of(r), ctx.link(r),
								 bpf_program__fd(obj->progs.xdp_fib_router), XdpMode::Native));
			attached.push_back(XdpAttachment::attach(ctx.netns_of(h), ctx.link(h),
								 bpf_program__fd(obj->progs.xdp_pass), XdpMode::Native));
		}
		const int map_fd = bpf_map__fd(obj->maps.fib_counts);
		auto counts = [&](const std::string &addr) {
			FibKey k = key_of(f, addr);
			FibCount c{};
			if (bpf_map_lookup_elem(map_fd, &k, &c) != 0)
				memset(&c, 0, sizeof(c));
			return c;
		};
		// The return codes of a case's packets: one value when they agree.
		auto rets_between = [](const FibCount &before, const FibCount &after) {
			json codes = json::array();
			for (int i = 0; i < 16; ++i)
				if (after.ret[i] != before.ret[i])
					codes.push_back(i);
			return codes.size() == 1 ? codes[0] : codes;
		};
		auto ns = [&](int i) { return ctx.netns("h" + std::to_string(i)); };

		Measurement m;
		json pings = json::array();
		json ping_ok = json::object(), tcp_ok = json::object(), tcp_errors = json::object();
		const std::vector<std::pair<int, int>> pairs = {{1, 2}, {1, 3}, {2, 3}};
		for (auto [a, b] : pairs) {
			std::string name = "h" + std::to_string(a) + "-h" + std::to_string(b);
			ping_ok[name] = ping(f, ns(a), f.host(b), pings, 3);
		}
		for (size_t i = 0; i < pairs.size(); ++i) {
			auto [a, b] = pairs[i];
			std::string name = "h" + std::to_string(a) + "-h" + std::to_string(b);
			std::string err = tcp_transfer(f, ns(a), ns(b), f.host(b), static_cast<uint16_t>(kTcpPort + i));
			tcp_ok[name] = err.empty();
			if (!err.empty())
				tcp_errors[name] = err;
		}

		json fib_ret = json::object(), cases = json::object();
		FibCount before = counts(f.host(2));
		bool on_ok = ping(f, ns(1), f.host(2), pings, 2);
		FibCount after = counts(f.host(2));
		fib_ret["forwarding_on"] = rets_between(before, after);
		cases["forwarding_on"] = {{"ping_ok", on_ok}};

		before = counts(f.router(1));
		bool router_ok = ping(f, ns(1), f.router(1), pings, 2);
		after = counts(f.router(1));
		fib_ret["to_router"] = rets_between(before, after);
		uint64_t passed = after.action[XDP_PASS] - before.action[XDP_PASS];
		uint64_t redirected = after.action[XDP_REDIRECT] - before.action[XDP_REDIRECT];
		m.observations["passed_to_router"] = router_ok && passed > 0 && redirected == 0;
		cases["to_router"] = {{"ping_ok", router_ok}, {"passed", passed}, {"redirected", redirected}};

		const std::string r1_forwarding = "net/" + f.sysctl_dir() + "/conf/" + ctx.link("r1") + "/forwarding";
		write_sysctl(ctx.netns("rtr"), r1_forwarding, "0");
		// One direction at a time: h1's replies to h2 -> h1 are keyed h2
		// and come in on r1 as well.
		before = counts(f.host(2));
		bool off_ingress_ok = ping(f, ns(1), f.host(2), pings);
		after = counts(f.host(2));
		fib_ret["forwarding_off_ingress"] = rets_between(before, after);
		before = counts(f.host(1));
		bool off_egress_ok = ping(f, ns(2), f.host(1), pings);
		after = counts(f.host(1));
		fib_ret["forwarding_off_egress"] = rets_between(before, after);
		write_sysctl(ctx.netns("rtr"), r1_forwarding, "1");
		// What the stack makes of what the program passed: IPv4 checks the
		// ingress device's forwarding too, IPv6 only `all`.
		m.observations["stack_forwards_when_off"] = {{"h1-h2", off_ingress_ok}, {"h2-h1", off_egress_ok}};

		json actions = json::object();
		FibCount total{};
		for (int i = 1; i <= 3; ++i)
			for (const auto &addr : {f.host(i), f.router(i)}) {
				FibCount c = counts(addr);
				for (int a = 0; a < 5; ++a)
					total.action[a] += c.action[a];
			}
		for (int a = 0; a < 5; ++a)
			actions[kActionNames[a]] = total.action[a] > 0;

		for (auto &a : attached)
			if (auto problem = a->detach())
				throw std::runtime_error("detach: " + *problem);

		m.observations["fib_ret"] = fib_ret;
		m.observations["ping_ok"] = ping_ok;
		m.observations["tcp_ok"] = tcp_ok;
		m.observations["actions"] = actions;
		m.evidence = {{"cases", cases}, {"pings", pings}, {"tcp_errors", tcp_errors},
			      {"tcp_bytes", kTransferBytes}, {"r1_forwarding_sysctl", r1_forwarding}};
		return m;
	}
};

XDPLAB_EXPERIMENT(FibLookupRouter);

} // namespace xdplab
