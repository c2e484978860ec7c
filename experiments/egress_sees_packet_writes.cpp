// egress-sees-packet-writes
//
// Claim (seed 000, observed on 5.8): packet data can be modified along the
// way. Each stage reads a byte, logs it and increments it (PoC pkt_data
// 54 -> 55 -> 56); the devmap program's write reaches the wire.
//
// Topology: the staged bench, one redirect to o0 whose peer runs xdp_peer.
//
// Procedure: one bpf_redirect_map call (tx_array[0] -> o0 with xdp_egress).
// The tag's pkt_byte starts at 54; stages 1, 3 and 2 each record it and add 1.
// xdp_peer (stage 5) records without writing; the receiver in r0 reads the
// byte from the captured frame.
//
// Observations: the byte each stage saw (uniform over frames), the byte on the
// wire, and whether the devmap program's write reached the wire.
//
// Expectation: experiments/egress-sees-packet-writes.json.
#include "harness/observe.h"

namespace xdplab {

class EgressSeesPacketWrites : public Experiment {
public:
	std::string id() const override { return "egress-sees-packet-writes"; }
	std::vector<std::string> subtests() const override { return {"native", "generic"}; }

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		StagedRun run = run_staged_or_skip(lab, single_redirect_setup(subtest));

		json bytes = json::object();
		for (uint32_t stage : {XDPLAB_STAGE_INGRESS_ENTRY, XDPLAB_STAGE_AFTER_CALL1, XDPLAB_STAGE_EGRESS}) {
			std::vector<json> seen;
			for (const auto &e : run.stage(stage))
				seen.push_back(e.pkt_byte);
			bytes[std::to_string(stage)] = uniform(seen);
		}
		std::vector<json> wire;
		for (const auto &f : run.received["o0"])
			wire.push_back(f.pkt_byte);
		json wire_byte = uniform(wire);

		Measurement m;
		m.observations["stage_bytes"] = bytes;
		m.observations["wire_byte"] = wire_byte;
		m.observations["egress_write_reaches_wire"] =
			bytes["2"].is_number() && wire_byte.is_number() && wire_byte.get<int>() == bytes["2"].get<int>() + 1;
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(EgressSeesPacketWrites);

} // namespace xdplab
