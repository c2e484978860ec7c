// bpf-redirect-ifindex
//
// Claim (seed 003, xdp-tutorial packet03, assignment 2): an XDP program on
// the `right` link redirects with bpf_redirect() what arrives there out of
// the `left` link, having rewritten the Ethernet header to (dest = the left
// inner MAC, source = the left outer MAC), "or packets will be dropped by the
// eth0 interface"; a dummy program goes on the left inner link. History
// (kernel-history row 7): the inner link needs an XDP program, or GRO from
// 5.13; from 6.3 the refusal comes at redirect time; generic mode needs
// neither.
//
// Topology, the tutorial's two environments with the host side in a
// namespace of its own:
//
//   [left] l_in ── l_out [rtr] r_out ── r_in [right]
//
// Procedure: xdp_redirect of bpf/packet03.bpf.c on r_out, its .rodata set
// to (ifindex of l_out, MAC of l_in, MAC of l_out) as the tutorial hard-codes
// them; l_in gets xdp_pass, nothing or GRO; send tagged frames from r_in to
// r_out's MAC and capture what l_in receives.
//
// Observations: tagged frames l_in received, whether all carry l_in's MAC as
// destination and l_out's as source (null when none arrived), and the
// program's XDP_REDIRECT count.
//
// Expectation: experiments/bpf-redirect-ifindex.json.
#include "packet03.h"

#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "harness/traffic.h"
#include "harness/xdp_attach.h"

#include "packet03.skel.h"

#include <chrono>
#include <memory>
#include <thread>

namespace xdplab {

namespace {
constexpr int kFrames = 10;
enum class Inner { XdpPass, None, Gro };
} // namespace

struct RedirectIfindexParams {
	XdpMode mode;
	Inner inner;
};

class BpfRedirectIfindex : public DeclaredExperiment<RedirectIfindexParams> {
public:
	BpfRedirectIfindex()
		: DeclaredExperiment("bpf-redirect-ifindex",
				     {{"peer_prog", {.mode = XdpMode::Native, .inner = Inner::XdpPass}},
				      {"no_peer_prog", {.mode = XdpMode::Native, .inner = Inner::None}},
				      {"no_peer_prog_gro", {.mode = XdpMode::Native, .inner = Inner::Gro}},
				      {"generic_no_peer_prog", {.mode = XdpMode::Generic, .inner = Inner::None}}},
				     {"delivered", "dst_mac_rewritten", "src_mac_rewritten", "xdp_redirect"})
	{
	}

	Plan plan(const RedirectIfindexParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"left", "rtr", "right"};
		plan.veths = {{"left", "l_in", "rtr", "l_out"}, {"right", "r_in", "rtr", "r_out"}};
		if (p.inner == Inner::Gro)
			plan.offloads = {{"l_in", "gro", true}};
		plan.steps = {"# load build/bpf/packet03.bpf.o with redirect_to = {<ifindex of l_out>, <MAC of l_in>, "
			      "<MAC of l_out>}; attach xdp_redirect to <r_out> (" +
			      ip_keyword(p.mode) + ")"};
		if (p.inner == Inner::XdpPass)
			plan.steps.push_back("# load build/bpf/packet03.bpf.o again; attach xdp_pass to <l_in> (xdpdrv)");
		plan.steps.push_back("# send " + std::to_string(kFrames) +
				     " tagged frames from <r_in> to <MAC of r_out>; capture what <l_in> receives");
		plan.steps.push_back("# read xdp_stats_map (summed over CPUs)");
		RedirectIfindexParams params = p;
		plan.run = [params](ProcedureContext &ctx) { return measure(ctx, params); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const RedirectIfindexParams &p)
	{
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		const std::string left = ctx.netns("left"), rtr = ctx.netns("rtr"), right = ctx.netns("right");
		const Mac l_in = p03::mac_of(left, ctx.link("l_in")), l_out = p03::mac_of(rtr, ctx.link("l_out"));
		const Mac r_in = p03::mac_of(right, ctx.link("r_in")), r_out = p03::mac_of(rtr, ctx.link("r_out"));

		BpfObject<packet03> redir("packet03", ctx.events(), ident, [&](packet03 &s) {
			s.rodata->redirect_to.ifindex = static_cast<__u32>(ctx.ifindex("l_out"));
			std::memcpy(const_cast<__u8 *>(s.rodata->redirect_to.dst), l_in.data(), 6);
			std::memcpy(const_cast<__u8 *>(s.rodata->redirect_to.src), l_out.data(), 6);
		});
		std::unique_ptr<BpfObject<packet03>> pass;
		std::unique_ptr<XdpAttachment> inner_att;
		if (p.inner == Inner::XdpPass) {
			pass = std::make_unique<BpfObject<packet03>>("packet03", ctx.events(), ident, [](packet03 &) {});
			inner_att = XdpAttachment::attach(left, ctx.link("l_in"),
							  bpf_program__fd((*pass)->progs.xdp_pass), XdpMode::Native);
		}
		auto att = XdpAttachment::attach(rtr, ctx.link("r_out"), bpf_program__fd(redir->progs.xdp_redirect),
						 p.mode);

		RawCapture capture(left, ctx.link("l_in"));
		FrameSender sender(right, ctx.link("r_in"));
		for (int i = 0; i < kFrames; ++i)
			sender.send(build_frame({.src = r_in,
						 .dst = r_out,
						 .src_ip = ipv4("198.18.11.2"),
						 .dst_ip = ipv4("198.18.10.2"),
						 .run_id = ctx.run_tag(),
						 .case_id = ctx.case_id(),
						 .seq = static_cast<uint32_t>(i)}));

		// Until every frame is in, or nothing more came for half a second.
		int delivered = 0;
		int dst_ok = 0, src_ok = 0;
		size_t seen = 0;
		auto quiet_since = std::chrono::steady_clock::now();
		while (delivered < kFrames &&
		       std::chrono::steady_clock::now() - quiet_since < std::chrono::milliseconds(500)) {
			if (capture.poll_once())
				quiet_since = std::chrono::steady_clock::now();
			for (; seen < capture.frames().size(); ++seen) {
				const auto &b = capture.frames()[seen].bytes;
				auto tag = parse_tag(b.data(), b.size());
				if (!tag || tag->run_id != ctx.run_tag() || tag->case_id != ctx.case_id())
					continue;
				++delivered;
				dst_ok += std::equal(l_in.begin(), l_in.end(), b.begin());
				src_ok += std::equal(l_out.begin(), l_out.end(), b.begin() + 6);
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
		}
		auto stats = p03::read_stats(bpf_map__fd(redir->maps.xdp_stats_map));

		Measurement m;
		m.observations["delivered"] = delivered;
		m.observations["dst_mac_rewritten"] = delivered ? json(dst_ok == delivered) : json(nullptr);
		m.observations["src_mac_rewritten"] = delivered ? json(src_ok == delivered) : json(nullptr);
		m.observations["xdp_redirect"] = stats[XDP_REDIRECT].packets;
		m.evidence = {{"macs",
			       {{"l_in", mac_str(l_in)}, {"l_out", mac_str(l_out)}, {"r_in", mac_str(r_in)},
				{"r_out", mac_str(r_out)}}},
			      {"frames_sent", kFrames},
			      {"captured_frames", capture.frames().size()},
			      {"capture_drops", capture.drops()},
			      {"redirect_stats", p03::stats_json(stats)}};
		return m;
	}
};

XDPLAB_EXPERIMENT(BpfRedirectIfindex);

} // namespace xdplab
