// redirect-map-router
//
// Claim (seed 003, xdp-tutorial packet03, assignment 3): xdp_redirect_map on
// both outer links, with tx_port (a DEVMAP: virtual port 0 -> the other outer
// link) and redirect_params (source MAC -> next hop MAC) filled from user
// space, forwards between the two inner links: pings pass both ways and
// xdp_stats shows XDP_REDIRECT on both links. "Enabling forwarding is not
// required by the bpf_redirect_map or bpf_redirect functions." The inner
// links get dummy programs (kernel-history row 7: without them native
// redirects into the veth are not delivered; generic mode needs none).
//
// Topology, the tutorial's two environments with the host side in a
// namespace of its own (forwarding off there, the namespace default):
//
//   [left] l_in ── l_out [rtr] r_out ── r_in [right]
//   198.18.10.2    198.18.10.1  198.18.11.1    198.18.11.2
//   fd00:10::2     fd00:10::1   fd00:11::1     fd00:11::2
//
// left routes 198.18.11.0/24 and fd00:11::/64 via l_out; right the other
// way round.
//
// Procedure: first each inner namespace pings its outer address once, so
// ARP / ND know the gateways (the programs would redirect the solicitations
// away; the tutorial's environments have their neighbours the same way,
// from earlier traffic); then one object of bpf/packet03.bpf.c per outer
// link: tx_port[0] = the other outer link, redirect_params[this inner MAC] =
// the other inner MAC (what `t redirect right left` does); xdp_redirect_map
// on l_out and r_out, xdp_pass (or nothing) on l_in and r_in; ping and
// ping -6 from each inner namespace to the other. Subtest no_programs
// attaches nothing: the kernel alone, forwarding off.
//
// Observations: replies per direction and family; whether every ping was
// answered; the actions each outer program counted (xdp_stats' non-zero
// rows).
//
// Expectation: experiments/redirect-map-router.json.
#include "packet03.h"

#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "harness/xdp_attach.h"

#include "packet03.skel.h"

#include <memory>

namespace xdplab {

namespace {
constexpr int kPings = 5;
const char *kLeft4 = "198.18.10.2", *kLeftGw4 = "198.18.10.1", *kRight4 = "198.18.11.2", *kRightGw4 = "198.18.11.1";
const char *kLeft6 = "fd00:10::2", *kLeftGw6 = "fd00:10::1", *kRight6 = "fd00:11::2", *kRightGw6 = "fd00:11::1";

enum class Setup { Tutorial, NoInnerProg, Generic, NoPrograms };

// One outer link's program and maps, configured as xdp_prog_user does.
struct Side {
	std::unique_ptr<BpfObject<packet03>> obj;
	std::unique_ptr<XdpAttachment> att;
};

void configure(ProcedureContext &ctx, packet03 &s, const std::string &to_link, const Mac &from, const Mac &to)
{
	// Devmap entries resolve the ifindex in the caller's namespace.
	NetnsScope scope(ctx.netns("rtr"));
	__u32 port = 0, ifindex = static_cast<__u32>(ctx.ifindex(to_link));
	if (bpf_map_update_elem(bpf_map__fd(s.maps.tx_port), &port, &ifindex, BPF_ANY))
		throw std::runtime_error(std::string("tx_port update: ") + strerror(errno));
	if (bpf_map_update_elem(bpf_map__fd(s.maps.redirect_params), from.data(), to.data(), BPF_ANY))
		throw std::runtime_error(std::string("redirect_params update: ") + strerror(errno));
}
} // namespace

struct RouterParams {
	Setup setup;
};

class RedirectMapRouter : public DeclaredExperiment<RouterParams> {
public:
	RedirectMapRouter()
		: DeclaredExperiment("redirect-map-router",
				     {{"peer_prog", {.setup = Setup::Tutorial}},
				      {"no_peer_prog", {.setup = Setup::NoInnerProg}},
				      {"generic_no_peer_prog", {.setup = Setup::Generic}},
				      {"no_programs", {.setup = Setup::NoPrograms}}},
				     {"ping_replies", "ping_both_ways", "outer_actions"})
	{
	}

	Plan plan(const RouterParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"left", "rtr", "right"};
		plan.veths = {{"left", "l_in", "rtr", "l_out"}, {"right", "r_in", "rtr", "r_out"}};
		plan.ipv6_namespaces = {"left", "rtr", "right"};
		plan.addresses = {{"l_in", std::string(kLeft4) + "/24"},   {"l_in", std::string(kLeft6) + "/64"},
				  {"l_out", std::string(kLeftGw4) + "/24"}, {"l_out", std::string(kLeftGw6) + "/64"},
				  {"r_in", std::string(kRight4) + "/24"},   {"r_in", std::string(kRight6) + "/64"},
				  {"r_out", std::string(kRightGw4) + "/24"}, {"r_out", std::string(kRightGw6) + "/64"}};
		plan.routes = {{"left", {"198.18.11.0/24", "via", kLeftGw4}},
			       {"left", {"fd00:11::/64", "via", kLeftGw6}},
			       {"right", {"198.18.10.0/24", "via", kRightGw4}},
			       {"right", {"fd00:10::/64", "via", kRightGw6}}};
		plan.steps = {std::string("ip netns exec <left> ping -c 1 ") + kLeftGw4 + "; ... ping -6 -c 1 " + kLeftGw6 +
				      "   # and <right> to " + kRightGw4 + ", " + kRightGw6 + ": neighbours of the gateways",
			      "# two loads of build/bpf/packet03.bpf.o; inside <rtr>: first tx_port[0] = <ifindex of r_out>, "
			      "redirect_params[<MAC of l_in>] = <MAC of r_in>; second tx_port[0] = <ifindex of l_out>, "
			      "redirect_params[<MAC of r_in>] = <MAC of l_in>"};
		if (p.setup != Setup::NoPrograms)
			plan.steps.push_back("# attach xdp_redirect_map of the first to <l_out>, of the second to <r_out> (" +
					     ip_keyword(p.setup == Setup::Generic ? XdpMode::Generic : XdpMode::Native) +
					     ")");
		if (p.setup == Setup::Tutorial)
			plan.steps.push_back("# two more loads; attach xdp_pass to <l_in> and to <r_in> (xdpdrv)");
		plan.steps.push_back("ip netns exec <right> ping -n -i 0.2 -W 1 -c " + std::to_string(kPings) + " " + kLeft4 +
				     "; ... ping -6 ... " + kLeft6 + "; and from <left> to " + kRight4 + ", " + kRight6);
		plan.steps.push_back("# read xdp_stats_map of both outer objects (summed over CPUs)");
		RouterParams params = p;
		plan.run = [params](ProcedureContext &ctx) { return measure(ctx, params); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const RouterParams &p)
	{
		if (!ctx.has("ping"))
			throw SkipSubtest("ping (iputils) is not installed");
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		const std::string left = ctx.netns("left"), rtr = ctx.netns("rtr"), right = ctx.netns("right");
		Measurement m;

		json warmup = json::object();
		auto warm = [&](const std::string &ns, const char *addr, bool v6) {
			auto r = p03::ping(ns, addr, v6, 1);
			warmup[addr] = r.output;
			if (r.received != 1)
				throw std::runtime_error(std::string("no reply from gateway ") + addr +
							 " before any program is attached: " + r.output);
		};
		warm(left, kLeftGw4, false);
		warm(left, kLeftGw6, true);
		warm(right, kRightGw4, false);
		warm(right, kRightGw6, true);

		const Mac l_in = p03::mac_of(left, ctx.link("l_in")), r_in = p03::mac_of(right, ctx.link("r_in"));
		const XdpMode mode = p.setup == Setup::Generic ? XdpMode::Generic : XdpMode::Native;
		Side l, r;
		l.obj = std::make_unique<BpfObject<packet03>>("packet03", ctx.events(), ident, [](packet03 &) {});
		r.obj = std::make_unique<BpfObject<packet03>>("packet03", ctx.events(), ident, [](packet03 &) {});
		configure(ctx, **l.obj, "r_out", l_in, r_in);
		configure(ctx, **r.obj, "l_out", r_in, l_in);
		std::unique_ptr<BpfObject<packet03>> pass;
		std::unique_ptr<XdpAttachment> l_pass, r_pass;
		if (p.setup == Setup::Tutorial) {
			pass = std::make_unique<BpfObject<packet03>>("packet03", ctx.events(), ident, [](packet03 &) {});
			int fd = bpf_program__fd((*pass)->progs.xdp_pass);
			l_pass = XdpAttachment::attach(left, ctx.link("l_in"), fd, XdpMode::Native);
			r_pass = XdpAttachment::attach(right, ctx.link("r_in"), fd, XdpMode::Native);
		}
		if (p.setup != Setup::NoPrograms) {
			l.att = XdpAttachment::attach(rtr, ctx.link("l_out"),
						      bpf_program__fd((*l.obj)->progs.xdp_redirect_map), mode);
			r.att = XdpAttachment::attach(rtr, ctx.link("r_out"),
						      bpf_program__fd((*r.obj)->progs.xdp_redirect_map), mode);
		}

		auto r2l4 = p03::ping(right, kLeft4, false, kPings), r2l6 = p03::ping(right, kLeft6, true, kPings);
		auto l2r4 = p03::ping(left, kRight4, false, kPings), l2r6 = p03::ping(left, kRight6, true, kPings);
		auto l_stats = p03::read_stats(bpf_map__fd((*l.obj)->maps.xdp_stats_map));
		auto r_stats = p03::read_stats(bpf_map__fd((*r.obj)->maps.xdp_stats_map));

		m.observations["ping_replies"] = {
			{"right_to_left", {{"ipv4", r2l4.received}, {"ipv6", r2l6.received}}},
			{"left_to_right", {{"ipv4", l2r4.received}, {"ipv6", l2r6.received}}}};
		m.observations["ping_both_ways"] = r2l4.received == kPings && r2l6.received == kPings &&
						   l2r4.received == kPings && l2r6.received == kPings;
		m.observations["outer_actions"] = {{"l_out", p03::nonzero_actions(l_stats)},
						   {"r_out", p03::nonzero_actions(r_stats)}};
		m.evidence = {{"warmup", warmup},
			      {"pings", {r2l4.output, r2l6.output, l2r4.output, l2r6.output}},
			      {"l_out_stats", p03::stats_json(l_stats)},
			      {"r_out_stats", p03::stats_json(r_stats)},
			      {"macs", {{"l_in", mac_str(l_in)}, {"r_in", mac_str(r_in)}}},
			      {"rtr_forwarding",
			       run_command({"ip", "netns", "exec", rtr, "sysctl", "-n", "net.ipv4.ip_forward",
					    "net.ipv6.conf.all.forwarding"})
				       .output}};
		return m;
	}
};

XDPLAB_EXPERIMENT(RedirectMapRouter);

} // namespace xdplab
