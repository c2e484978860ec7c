#include "case_tools.h"

#include "../../netns/address.h"
#include "../../netns/command.h"
#include "../subtest_context.h"
#include "../tools/icmp_echo.h"
#include "../tools/tcp_transfer.h"

#include <sys/socket.h>

#include <chrono>
#include <regex>
#include <thread>

namespace xdplab {

namespace {
// Requests go out 20 ms apart: the accounting, not the pace, decides how long a step takes.
constexpr const char *kInterval = "0.02";
constexpr uint16_t kTcpPort = 47475;
constexpr int kTcpTimeoutS = 20; // a loaded machine may need a few TCP retransmissions (1, 3, 7 s)
// ping's own wait when no reply has come at all: longer than any subtest's
// deadline, so that the harness's accounting, not ping, ends such a step.
// Once a reply has come, ping waits after its last request only twice its
// slowest round trip, at least the interval, whatever -W says (iputils'
// schedule_exit()): a later reply is on the link but not in ping's count,
// which is why observations read replies_captured (README).
constexpr const char *kPingWaitS = "10";
// How long ping may take to read replies the capture has already seen before
// it is interrupted: the capture sees a frame on the device before the echo
// socket does, and interrupting at once made ping miss the last one.
constexpr std::chrono::milliseconds kPingReadGrace{2000};
// Waits until the command exits or `until`; whether it still runs.
bool wait_for_exit(BackgroundCommand &cmd, std::chrono::steady_clock::time_point until, CaseLab &lab)
{
	while (cmd.running()) {
		if (std::chrono::steady_clock::now() >= until)
			return true;
		lab.ctx.interruption.check();
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	}
	return false;
}
} // namespace

std::vector<std::string> ping_argv(const std::string &to, bool ipv6, int count, int id)
{
	std::vector<std::string> argv{"ping"};
	if (ipv6)
		argv.push_back("-6");
	for (const std::string &a : std::vector<std::string>{"-n", "-i", kInterval, "-W", kPingWaitS, "-e", std::to_string(id), "-c", std::to_string(count)})
		argv.push_back(a);
	argv.push_back(to);
	return argv;
}

json ping_step(CaseLab &lab, const StepSpec &s)
{
	const CaseLink &from = lab.net.link(s.args["from"].get<std::string>());
	const std::string to = s.args["to"].get<std::string>();
	const bool ipv6 = parse_ip(to)->family == AF_INET6;
	const int count = s.args.value("count", 5);
	// The echo identifier tells this step's requests from anything else: the
	// subtest's case id, and the step's place in the traffic.
	const int id = static_cast<int>(((lab.ctx.case_id << 4) | (lab.evidence["steps"].size() & 0xf)) & 0xffff);

	lab.start_collecting();
	lab.poll();
	const size_t tracepoints_from = lab.got.tracepoints.size(), drops_from = lab.got.drops.size();
	RawCapture capture(from.ns, from.dev, true);
	std::set<uint32_t> requests, replies;
	int checksum_ok = 0, checksum_seen = 0;
	size_t seen = 0;

	using clock = std::chrono::steady_clock;
	const auto quiet = std::chrono::milliseconds(lab.ctx.options.settle_ms);
	const auto deadline = clock::now() + std::chrono::milliseconds(lab.ctx.options.timeout_ms + 20 * count);
	auto last_arrival = clock::now();
	Accounting a;
	BackgroundCommand ping(ping_argv(to, ipv6, count, id), from.ns);
	bool stopped_early = false;
	// Reads what the capture and the collectors have so far into the
	// step's accounting; whether anything new arrived.
	auto update = [&]() {
		size_t n = lab.poll() + static_cast<size_t>(capture.poll_once());
		for (; seen < capture.frames().size(); ++seen) {
			const RawFrame &f = capture.frames()[seen];
			auto m = parse_echo_frame(f.bytes.data(), f.bytes.size());
			if (!m || m->id != id || m->ipv6 != ipv6)
				continue;
			if (f.outgoing && !m->reply) {
				requests.insert(m->seq);
			} else if (!f.outgoing && m->reply) {
				replies.insert(m->seq);
				++checksum_seen;
				checksum_ok += m->checksum_ok;
			}
		}
		Flow flow = lab.flow_base(tracepoints_from);
		flow.sent = requests;
		flow.delivered = replies;
		lab.add_drop_evidence(flow, drops_from, [&](const DropRecord &d) -> std::optional<uint32_t> {
			auto e = record_echo(d);
			if (e && e->id == id && e->ipv6 == ipv6)
				return e->seq;
			return std::nullopt;
		});
		a = account(flow);
		return n > 0;
	};
	for (;;) {
		lab.ctx.interruption.check();
		if (update())
			last_arrival = clock::now();
		bool running = ping.running();
		const bool all_sent = !running || static_cast<int>(requests.size()) >= count;
		const bool settled = a.parked == 0 || clock::now() - last_arrival >= quiet;
		// ping's own wait is not the end: on a loaded machine a request can
		// still sit in a ring whose NAPI poll runs later (ksoftirqd), its
		// record not yet written. Only every request's end, or the deadline, is.
		if ((all_sent && a.complete() && settled) || clock::now() >= deadline) {
			// Nothing more can come: every request has its end. ping
			// exits by itself once it has read every reply; where replies
			// were captured, it gets a grace to read them before SIGINT.
			if (running && !replies.empty())
				running = wait_for_exit(ping, last_arrival + kPingReadGrace, lab);
			stopped_early = running;
			if (running)
				ping.interrupt();
			break;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	}
	CommandResult r = ping.wait();
	// A reply read by the capture after the loop's last look still counts:
	// the echo request's own end (6.1 frees it with NOT_SPECIFIED at
	// icmpv6_rcv once answered) can complete the accounting moments before
	// the reply is polled, and a delivered frame outranks that record.
	update();

	json out = {{"to", to}, {"count", count}, {"id", id}, {"stopped_when_accounted", stopped_early}};
	std::smatch m;
	static const std::regex stats(R"((\d+) packets transmitted, (\d+) (packets )?received)");
	if (std::regex_search(r.output, m, stats)) {
		out["transmitted"] = std::stoi(m[1]);
		out["received"] = std::stoi(m[2]);
	} else {
		throw std::runtime_error("ping printed no statistics: " + shell_join(netns_exec_argv(from.ns, ping_argv(to, ipv6, count, id))) +
					 "\n" + r.output);
	}
	out["replies_captured"] = replies.size();
	out["replies_checksum_ok"] = checksum_seen ? json(checksum_ok == checksum_seen) : json(nullptr);
	out["accounting"] = a.to_json();
	out["output"] = r.output;
	if (!a.complete())
		lab.evidence["unaccounted_steps"].push_back(s.name + ": " + a.line());
	return out;
}

json tcp_step(CaseLab &lab, const StepSpec &s)
{
	const CaseLink &from = lab.net.link(s.args["from"].get<std::string>());
	const std::string to = s.args["to"].get<std::string>();
	const CaseLink *server = lab.net.owner_of(to);
	const size_t bytes = s.args.value("bytes", size_t(1) << 20);
	// A port per step: no transfer meets another's TIME_WAIT.
	uint16_t port = static_cast<uint16_t>(kTcpPort + lab.evidence["steps"].size());
	std::string err = tcp_transfer(from.ns, server->ns, to, port, bytes, kTcpTimeoutS);
	json out = {{"to", to}, {"bytes", bytes}, {"ok", err.empty()}};
	if (!err.empty())
		out["error"] = err;
	return out;
}

} // namespace xdplab
