// egress-sees-packet-writes
//
// Claim (seed 000, observed on 5.8): packet data can be modified: every stage
// reads a byte and increments it (PoC pkt_data 54 -> 55 -> 56), and the
// devmap program's write reaches the wire.
//
// Topology: the bench, one output whose receiving peer runs xdp_peer.
//
// Procedure: redirect through tx_array[0] -> o0 with xdp_egress; stages 1, 3
// and 2 each read the tag's pkt_byte and write it back incremented. The
// receiver behind o0 captures the frames.
//
// Observations: the byte each stage read, the byte on the wire, and whether
// the devmap program's write reached the wire.
//
// Expectation: experiments/egress-sees-packet-writes.json.
#include "harness/observe.h"

namespace xdplab {

struct PacketWritesParams {
	XdpMode mode;
};

class EgressSeesPacketWrites : public DeclaredExperiment<PacketWritesParams> {
public:
	EgressSeesPacketWrites()
		: DeclaredExperiment("egress-sees-packet-writes",
				     {{"native", {.mode = XdpMode::Native}}, {"generic", {.mode = XdpMode::Generic}}},
				     {"stage_bytes", "wire_byte", "egress_write_reaches_wire"})
	{
	}

	Plan plan(const PacketWritesParams &p) const override { return single_redirect(p.mode); }

	Measurement observe(const PacketWritesParams &, const BenchRun &run) const override
	{
		json bytes = json::object();
		for (uint32_t stage : {XDPLAB_STAGE_INGRESS_ENTRY, XDPLAB_STAGE_AFTER_CALL1, XDPLAB_STAGE_EGRESS})
			bytes[std::to_string(stage)] =
				uniform_over(run, stage, [](const xdplab_event &e) { return e.pkt_byte; });
		std::vector<json> wire;
		if (run.received.count("target"))
			for (const auto &f : run.received.at("target"))
				wire.push_back(f.pkt_byte);
		json wire_byte = uniform(wire);

		Measurement m;
		m.observations["stage_bytes"] = bytes;
		m.observations["wire_byte"] = wire_byte;
		m.observations["egress_write_reaches_wire"] =
			bytes["2"].is_number() && wire_byte.is_number() && wire_byte.get<int>() == bytes["2"].get<int>() + 1;
		return m;
	}
};

XDPLAB_EXPERIMENT(EgressSeesPacketWrites);

} // namespace xdplab
