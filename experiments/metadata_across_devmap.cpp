// metadata-across-devmap
//
// Claim (seed 000, observed on 5.8): data_meta written by the ingress program
// is not preserved into the devmap program (there data_meta = data + 1,
// i.e. invalid). History: invalid 5.8-5.13, preserved 5.14+ (native), valid
// but empty in generic mode (5.15+).
//
// Topology: the bench, one output whose peer runs xdp_peer.
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

struct MetadataParams {
	XdpMode mode;
};

class MetadataAcrossDevmap : public DeclaredExperiment<MetadataParams> {
public:
	static constexpr uint32_t kMetaValue = 0xC0FFEE00u;

	MetadataAcrossDevmap()
		: DeclaredExperiment("metadata-across-devmap",
				     {{"native", {.mode = XdpMode::Native}}, {"generic", {.mode = XdpMode::Generic}}},
				     {"meta_valid", "meta_len", "meta_value_equal", "ingress_adjust_meta_ret"})
	{
	}

	Plan plan(const MetadataParams &p) const override
	{
		BenchPlan b = single_redirect(p.mode);
		b.meta_value = kMetaValue;
		return b;
	}

	Measurement observe(const MetadataParams &, const BenchRun &run) const override
	{
		const uint32_t egress = XDPLAB_STAGE_EGRESS;
		Measurement m;
		m.observations["meta_valid"] =
			uniform_over(run, egress, [](const xdplab_event &e) { return static_cast<bool>(e.meta_valid); });
		m.observations["meta_len"] = uniform_over(run, egress, [](const xdplab_event &e) { return e.meta_len; });
		m.observations["meta_value_equal"] = uniform_over(run, egress, [](const xdplab_event &e) {
			return e.meta_len >= 4 && e.meta_value == (kMetaValue ^ e.seq);
		});
		m.observations["ingress_adjust_meta_ret"] = uniform_over(
			run, XDPLAB_STAGE_INGRESS_ENTRY, [](const xdplab_event &e) { return e.adjust_meta_ret; });
		return m;
	}
};

XDPLAB_EXPERIMENT(MetadataAcrossDevmap);

} // namespace xdplab
