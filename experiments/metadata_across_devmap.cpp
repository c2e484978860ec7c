// metadata-across-devmap
//
// Claim (seed 000, observed on 5.8): data_meta written by the ingress program
// is not preserved into the devmap program (there data_meta = data + 1,
// i.e. invalid). History: invalid 5.8-5.13, preserved 5.14+ (native), valid
// but empty in generic mode (5.15+).
//
// Topology: the staged bench, redirect to o0 whose peer runs xdp_peer.
//
// Procedure: the ingress program grows the metadata by 4 bytes
// (bpf_xdp_adjust_meta(-4)) and writes meta_value ^ seq there, then redirects
// through tx_array[0] -> o0 with xdp_egress. The devmap program records
// whether data_meta <= data, data - data_meta, and the first 4 bytes.
//
// Observations: meta_valid, meta_len, meta_value_equal (uniform over frames),
// and the ingress adjust_meta return code.
//
// Expectation: experiments/metadata-across-devmap.json.
#include "harness/observe.h"

namespace xdplab {

class MetadataAcrossDevmap : public Experiment {
public:
	static constexpr uint32_t kMetaValue = 0xC0FFEE00u;

	std::string id() const override { return "metadata-across-devmap"; }
	std::vector<std::string> subtests() const override { return {"native", "generic"}; }

	Measurement run(const std::string &subtest, Lab &lab) override
	{
		StagedSetup setup = single_redirect_setup(subtest);
		setup.program.write_meta = 1;
		setup.program.meta_value = kMetaValue;
		StagedRun run = run_staged_or_skip(lab, setup);

		std::vector<json> valid, len, equal, adjust;
		for (const auto &e : run.stage(XDPLAB_STAGE_EGRESS)) {
			valid.push_back(static_cast<bool>(e.meta_valid));
			len.push_back(e.meta_len);
			equal.push_back(e.meta_len >= 4 && e.meta_value == (kMetaValue ^ e.seq));
		}
		for (const auto &e : run.stage(XDPLAB_STAGE_INGRESS_ENTRY))
			adjust.push_back(e.adjust_meta_ret);
		if (valid.empty())
			throw std::runtime_error("the devmap program never ran: nothing to observe (see evidence)");

		Measurement m;
		m.observations["meta_valid"] = uniform(valid);
		m.observations["meta_len"] = uniform(len);
		m.observations["meta_value_equal"] = uniform(equal);
		m.observations["ingress_adjust_meta_ret"] = uniform(adjust);
		m.evidence = run.evidence();
		return m;
	}
};

XDPLAB_EXPERIMENT(MetadataAcrossDevmap);

} // namespace xdplab
