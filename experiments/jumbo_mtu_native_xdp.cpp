// jumbo-mtu-native-xdp
//
// Claim (seed 004, the XDP skeleton): start.sh sets MTU 9000 on both ends
// of the veth pair, and the program then shows up as "xdpgeneric". History
// (kernel-history row 8): native XDP on a veth is refused with -ERANGE and
// extack "Peer MTU is too large to set XDP" when the peer's MTU leaves no
// room in one page; from 5.18 a frags-aware program (SEC("xdp.frags"),
// BPF_F_XDP_HAS_FRAGS, c2f2cdbeffda) is allowed PAGE_SIZE * MAX_SKB_FRAGS
// more (7cda76d858a4 "veth: Allow jumbo frames in xdp mode"). Generic mode
// has no such limit.
//
// Topology: snd <-> in, both ends MTU 9000 (as the seed's start.sh).
//
// Procedure: load the subtest's program kind only (plain xdp_plain, or the
// frags-aware xdp_frags, which a kernel before 5.18 refuses at load: the
// flag is unknown there), attach it to `in` in the subtest's mode; where
// that worked, send one tagged frame of 9000 bytes of IP packet (9014 on
// the wire) from snd and count it on in's stack (an AF_PACKET socket on
// in, after XDP_PASS) and in the program.
//
// Observations: load_errno, attach_errno and extack (the kernel's message)
// of the attach, delivered (the 9000-byte frame reached in's stack; null
// where nothing was attached), program_saw (the program ran on it).
//
// Expectation: experiments/jumbo-mtu-native-xdp.json.
#include "harness/bpf_object.h"
#include "harness/event_stream.h"
#include "harness/experiment.h"
#include "harness/frame.h"
#include "harness/traffic.h"
#include "harness/xdp_attach.h"

#include "frags.skel.h"

#include <chrono>
#include <thread>

namespace xdplab {

namespace {
constexpr int kMtu = 9000;
constexpr size_t kTagBytes = 20 + 8 + 20; // IPv4, UDP, struct xdplab_tag
} // namespace

struct JumboParams {
	XdpMode mode;
	bool frags;
};

class JumboMtuNativeXdp : public DeclaredExperiment<JumboParams> {
public:
	JumboMtuNativeXdp()
		: DeclaredExperiment("jumbo-mtu-native-xdp",
				     {{"native_plain", {.mode = XdpMode::Native, .frags = false}},
				      {"native_frags", {.mode = XdpMode::Native, .frags = true}},
				      {"generic_plain", {.mode = XdpMode::Generic, .frags = false}},
				      {"generic_frags", {.mode = XdpMode::Generic, .frags = true}}},
				     {"load_errno", "attach_errno", "extack", "delivered", "program_saw", "linear_len"})
	{
	}

	Plan plan(const JumboParams &p) const override
	{
		ProcedurePlan plan;
		plan.namespaces = {"snd", "dut"};
		plan.veths = {{"snd", "snd", "dut", "in", kMtu}};
		std::string prog = p.frags ? "xdp_frags (SEC(\"xdp.frags\"))" : "xdp_plain (SEC(\"xdp\"))";
		plan.steps = {"# load " + prog + " of build/bpf/frags.bpf.o",
			      "ip netns exec <dut> ip link set dev <in> " + ip_keyword(p.mode) + " pinned <" + prog + ">",
			      "# if attached: send one tagged frame with a 9000-byte IPv4 packet from <snd>; count it on "
			      "<in> (AF_PACKET) and in the program"};
		plan.run = [p](ProcedureContext &ctx) { return measure(ctx, p); };
		return plan;
	}

private:
	static Measurement measure(ProcedureContext &ctx, const JumboParams &p)
	{
		Measurement m;
		const char *name = p.frags ? "xdp_frags" : "xdp_plain";
		xdplab_ident ident{ctx.run_tag(), ctx.case_id(), 0, 0};
		std::unique_ptr<BpfObject<frags>> obj;
		try {
			obj = std::make_unique<BpfObject<frags>>(
				"frags", ctx.events(), ident,
				[&](frags &s) { load_only_program(s.obj, name); });
		} catch (const BpfLoadError &e) {
			m.observations = {{"load_errno", e.err}, {"attach_errno", nullptr}, {"extack", nullptr},
					  {"delivered", nullptr}, {"program_saw", nullptr}, {"linear_len", nullptr}};
			m.evidence = {{"program", name}, {"load_log", e.log}};
			return m;
		}
		m.observations["load_errno"] = 0;
		bpf_program *prog = p.frags ? (*obj)->progs.xdp_frags : (*obj)->progs.xdp_plain;

		AttachFailure failure;
		auto att = XdpAttachment::try_attach(ctx.netns_of("in"), ctx.link("in"), bpf_program__fd(prog), p.mode,
						     failure);
		m.observations["attach_errno"] = att ? 0 : failure.err;
		m.observations["extack"] = att ? "" : failure.message;
		m.evidence = {{"program", name},
			      {"mtu", kMtu},
			      {"attach", XdpAttachment::command(ctx.netns_of("in"), ctx.link("in"),
								prog_id_of(bpf_program__fd(prog)), p.mode)},
			      {"attach_result", att ? std::string("attached") : std::string(strerror(failure.err))}};
		if (!att) {
			m.observations["delivered"] = nullptr;
			m.observations["program_saw"] = nullptr;
			m.observations["linear_len"] = nullptr;
			return m;
		}

		FrameReceiver rx(ctx.netns_of("in"), ctx.link("in"), ctx.run_tag(), ctx.case_id());
		FrameSpec spec = tagged_frame_spec(ctx.run_tag(), ctx.case_id());
		spec.src = parse_mac("02:58:4c:00:0f:01");
		spec.dst = parse_mac("ff:ff:ff:ff:ff:ff");
		spec.payload_pad = kMtu - kTagBytes;
		std::vector<uint8_t> frame = build_frame(spec);
		FrameSender(ctx.netns_of("snd"), ctx.link("snd")).send(frame);
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ctx.frame_timeout_ms());
		while (rx.count() == 0 && std::chrono::steady_clock::now() < deadline) {
			rx.poll_once();
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
		}
		uint64_t saw = (*obj)->bss->seen_frames;
		// The program passes every frame it sees: a frame neither it nor the
		// receiver saw was lost on the way in, and a lost frame is no finding.
		if (saw == 0 && rx.count() == 0)
			throw std::runtime_error("the frame was not accounted for: neither the attached program nor the "
						 "receiver on the ingress link saw it (socket drops: " +
						 std::to_string(rx.drops()) + ")");
		json lens = json::array();
		for (const auto &f : rx.frames())
			lens.push_back(f.len);
		m.observations["delivered"] = rx.count();
		m.observations["program_saw"] = saw;
		m.observations["linear_len"] = saw ? json((*obj)->bss->seen_len) : json(nullptr);
		if (auto problem = att->detach())
			throw std::runtime_error("detach: " + *problem);
		ctx.events().drain();
		m.evidence["frame_len"] = frame.size();
		m.evidence["received_lens"] = lens;
		m.evidence["socket_drops"] = rx.drops();
		return m;
	}
};

XDPLAB_EXPERIMENT(JumboMtuNativeXdp);

} // namespace xdplab
