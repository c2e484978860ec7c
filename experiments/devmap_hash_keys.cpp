// devmap-hash-keys
//
// Claim (seed 001, map_devmap.rst): "The key to a hash map doesn't have to
// be an ifindex." A DEVMAP_HASH entry under any 32-bit key redirects to the
// device its value names. History: DEVMAP_HASH from 5.4 (6f9d451ab1a3);
// the helper has looked the key up itself since 5.3 (43e74c0267a3).
//
// Topology: the bench with two outputs. The DEVMAP_HASH (64 entries, so 64
// buckets: bucket = key & 63, dev_map_index_hash()) holds the subtest's key
// -> o0 ("target") and key ^ 0x40 -> o1 ("same_bucket"): both entries share
// a bucket, so delivery to "target" alone shows the whole key is compared.
//
// Procedure: one bpf_redirect_map(tx_hash, key, 0) call returning the
// helper's value; keys 0xdead (key_dead), 0xffffffff (key_max, also no valid
// ifindex) and 0 (key_zero, no device has ifindex 0). No entry programs.
//
// Observations: the helper's return value and the kernel's first failure
// tracepoint (copies per receiver are the engine's `delivered`).
//
// Expectation: experiments/devmap-hash-keys.json.
#include "harness/observe.h"

namespace xdplab {

struct HashKeyParams {
	uint32_t key;
};

class DevmapHashKeys : public DeclaredExperiment<HashKeyParams> {
public:
	static constexpr uint32_t kSameBucket = 0x40; // max_entries 64: the bucket is key & 63

	DevmapHashKeys()
		: DeclaredExperiment("devmap-hash-keys",
				     {{"key_dead", {.key = 0xdead}},
				      {"key_max", {.key = 0xffffffff}},
				      {"key_zero", {.key = 0}}},
				     {"helper_ret", "drop_tracepoint"})
	{
	}

	Plan plan(const HashKeyParams &p) const override
	{
		return BenchPlan{
			.outputs = {{"target"}, {"same_bucket"}},
			.calls = {{Devmap::Hash, p.key}},
			.entries = {{Devmap::Hash, p.key, "o0"}, {Devmap::Hash, p.key ^ kSameBucket, "o1"}},
		};
	}

	Measurement observe(const HashKeyParams &p, const BenchRun &run) const override
	{
		Measurement m;
		m.observations["helper_ret"] =
			uniform_over(run, XDPLAB_STAGE_AFTER_CALL1, [](const xdplab_event &e) { return e.redirect_ret; });
		m.observations["drop_tracepoint"] = drop_tracepoint(run);
		m.evidence["key"] = p.key;
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapHashKeys);

} // namespace xdplab
