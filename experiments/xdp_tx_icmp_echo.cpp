// xdp-tx-icmp-echo
//
// Claim (seed 003, xdp-tutorial packet03, assignment 1): an XDP_TX program
// answers ICMP and ICMPv6 echo by swapping the MACs and the addresses and
// turning the request into a reply, the checksum fixed incrementally with
// bpf_csum_diff; "all involved devices should have an attached XDP program,
// including both veth peers" (the tutorial loads xdp_pass on the peer).
// History (kernel-history row 7): veth's XDP_TX goes out through the peer's
// veth_xdp_xmit(), which needs the peer's rq to have an XDP program (4.19 -
// 5.12) or NAPI, i.e. an XDP program or GRO (5.13+); generic mode transmits
// an skb and needs neither.
//
// Topology: [snd] snd ── in [dut], IPv4 and IPv6 (DAD off) on both ends.
//
// Procedure: attach xdp_icmp_echo of bpf/packet03.bpf.c to `in` (native or
// generic); give snd the tutorial's xdp_pass, nothing, or GRO, as the
// subtest says; capture every frame snd receives; run the real ping and
// ping -6 from snd to the addresses of `in` (ARP / ND pass through the
// program to dut's stack).
//
// Observations: replies ping counted per family; whether the checksums of
// the captured replies are right (IPv4 ICMP; ICMPv6 with its pseudo-header),
// null when none was captured; the program's XDP_TX count.
//
// Expectation: experiments/xdp-tx-icmp-echo.json.
#include "packet03.h"

#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "harness/traffic.h"
#include "harness/xdp_attach.h"

#include "packet03.skel.h"

#include <memory>

namespace xdplab {

namespace {
constexpr int kPings = 5;
const char *kSndV4 = "198.18.3.1", *kDutV4 = "198.18.3.2";
const char *kSndV6 = "fd00:3::1", *kDutV6 = "fd00:3::2";

enum class PeerState { XdpPass, None, Gro };

uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum = 0)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t(p[i]) << 8) | p[i + 1];
	if (len & 1)
		sum += uint32_t(p[len - 1]) << 8;
	return sum;
}

bool folds_to_zero(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

struct Replies {
	int v4 = 0, v4_ok = 0, v6 = 0, v6_ok = 0;
};

// Echo replies among the captured frames, and how many have a checksum that
// verifies (the one's complement sum over the message, and for ICMPv6 the
// pseudo-header, is 0xffff).
Replies check_replies(const std::vector<RawFrame> &frames)
{
	Replies r;
	for (const auto &f : frames) {
		const auto &b = f.bytes;
		if (b.size() < 14 + 20 || b.size() < f.len)
			continue;
		uint16_t proto = (b[12] << 8) | b[13];
		if (proto == 0x0800 && b[14 + 9] == 1) {
			size_t ihl = (b[14] & 0xf) * 4, tot = (b[16] << 8) | b[17];
			if (tot < ihl + 8 || 14 + tot > b.size() || b[14 + ihl] != 0)
				continue;
			++r.v4;
			r.v4_ok += folds_to_zero(sum16(&b[14 + ihl], tot - ihl));
		} else if (proto == 0x86dd && b.size() >= 14 + 40 + 8 && b[14 + 6] == 58) {
			size_t plen = (b[18] << 8) | b[19];
			const uint8_t *icmp = &b[14 + 40];
			if (plen < 8 || 14 + 40 + plen > b.size() || icmp[0] != 129)
				continue;
			uint32_t sum = sum16(&b[14 + 8], 32); // source and destination
			sum += plen;
			sum += 58;
			++r.v6;
			r.v6_ok += folds_to_zero(sum16(icmp, plen, sum));
		}
	}
	return r;
}

json valid_or_null(int seen, int ok)
{
	return seen ? json(seen == ok) : json(nullptr);
}
} // namespace

struct EchoParams {
	XdpMode mode;
	PeerState peer;
};

class XdpTxIcmpEcho : public DeclaredExperiment<EchoParams> {
public:
	XdpTxIcmpEcho()
		: DeclaredExperiment("xdp-tx-icmp-echo",
				     {{"peer_prog", {.mode = XdpMode::Native, .peer = PeerState::XdpPass}},
				      {"no_peer_prog", {.mode = XdpMode::Native, .peer = PeerState::None}},
				      {"no_peer_prog_gro", {.mode = XdpMode::Native, .peer = PeerState::Gro}},
				      {"generic_no_peer_prog", {.mode = XdpMode::Generic, .peer = PeerState::None}}},
				     {"ping_replies", "checksum_valid", "xdp_tx"})
	{
	}

	Plan plan(const EchoParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"snd", "dut"};
		plan.veths = {{"snd", "snd", "dut", "in"}};
		plan.ipv6_namespaces = {"snd", "dut"};
		plan.addresses = {{"snd", std::string(kSndV4) + "/24"},
				  {"snd", std::string(kSndV6) + "/64"},
				  {"in", std::string(kDutV4) + "/24"},
				  {"in", std::string(kDutV6) + "/64"}};
		if (p.peer == PeerState::Gro)
			plan.offloads = {{"snd", "gro", true}};
		plan.steps = {"# load build/bpf/packet03.bpf.o; attach xdp_icmp_echo to <in> (" + ip_keyword(p.mode) + ")"};
		if (p.peer == PeerState::XdpPass)
			plan.steps.push_back("# load build/bpf/packet03.bpf.o again; attach xdp_pass to <snd> (xdpdrv)");
		plan.steps.push_back("# capture every frame <snd> receives (AF_PACKET)");
		plan.steps.push_back("ip netns exec <snd> ping -n -i 0.2 -W 1 -c " + std::to_string(kPings) + " " + kDutV4);
		plan.steps.push_back("ip netns exec <snd> ping -6 -n -i 0.2 -W 1 -c " + std::to_string(kPings) + " " +
				     kDutV6);
		plan.steps.push_back("# read xdp_stats_map of the first object (summed over CPUs); recompute the "
				     "captured replies' checksums");
		EchoParams params = p;
		plan.run = [params](ProcedureContext &ctx) { return measure(ctx, params); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const EchoParams &p)
	{
		if (!ctx.has("ping"))
			throw SkipSubtest("ping (iputils) is not installed");
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		const std::string snd = ctx.netns("snd"), dut = ctx.netns("dut");
		BpfObject<packet03> echo("packet03", ctx.events(), ident, [](packet03 &) {});
		std::unique_ptr<BpfObject<packet03>> pass;
		std::unique_ptr<XdpAttachment> peer_att;
		if (p.peer == PeerState::XdpPass) {
			pass = std::make_unique<BpfObject<packet03>>("packet03", ctx.events(), ident, [](packet03 &) {});
			peer_att = XdpAttachment::attach(snd, ctx.link("snd"), bpf_program__fd((*pass)->progs.xdp_pass),
							 XdpMode::Native);
		}
		auto att = XdpAttachment::attach(dut, ctx.link("in"), bpf_program__fd(echo->progs.xdp_icmp_echo), p.mode);

		RawCapture capture(snd, ctx.link("snd"));
		auto v4 = p03::ping(snd, kDutV4, false, kPings);
		auto v6 = p03::ping(snd, kDutV6, true, kPings);
		capture.poll_once();
		Replies r = check_replies(capture.frames());
		auto stats = p03::read_stats(bpf_map__fd(echo->maps.xdp_stats_map));

		Measurement m;
		m.observations["ping_replies"] = {{"ipv4", v4.received}, {"ipv6", v6.received}};
		m.observations["checksum_valid"] = {{"ipv4", valid_or_null(r.v4, r.v4_ok)},
						    {"ipv6", valid_or_null(r.v6, r.v6_ok)}};
		m.observations["xdp_tx"] = stats[XDP_TX].packets;
		m.evidence = {{"ping_ipv4", v4.output},
			      {"ping_ipv6", v6.output},
			      {"captured_frames", capture.frames().size()},
			      {"capture_drops", capture.drops()},
			      {"captured_replies", {{"ipv4", r.v4}, {"ipv4_checksum_ok", r.v4_ok}, {"ipv6", r.v6},
						    {"ipv6_checksum_ok", r.v6_ok}}},
			      {"echo_stats", p03::stats_json(stats)},
			      {"echo_attach", XdpAttachment::command(dut, ctx.link("in"),
								     prog_id_of(bpf_program__fd(echo->progs.xdp_icmp_echo)),
								     p.mode)}};
		if (pass)
			m.evidence["peer_stats"] =
				p03::stats_json(p03::read_stats(bpf_map__fd((*pass)->maps.xdp_stats_map)));
		return m;
	}
};

XDPLAB_EXPERIMENT(XdpTxIcmpEcho);

} // namespace xdplab
