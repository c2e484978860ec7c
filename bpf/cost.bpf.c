// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What each XDP feature costs (catalog E): the programs of the cost bench.
 * They do the least a real program of each kind does (match the run's tag,
 * then act), so that a difference between two cases is the feature's cost
 * and not the harness's: no ring buffer event, no printk.
 */
#include "xdplab.bpf.h"
#include "xdplab_cost.h"

const volatile struct xdplab_cost_config cost = {};

/* 8-byte values (struct bpf_devmap_val) in both maps: an entry may carry a program. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bpf_devmap_val));
	__uint(max_entries, XDPLAB_COST_MAX_PORTS);
} cost_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bpf_devmap_val));
	__uint(max_entries, XDPLAB_COST_MAX_PORTS);
} cost_hash SEC(".maps");

/* Tagged frames that reached the sink, per CPU: no atomic in the measured path. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
	__uint(max_entries, 1);
} sink_frames SEC(".maps");

SEC("xdp")
int xdp_cost_drop(struct xdp_md *ctx)
{
	return harness_tag(ctx) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_cost_tx(struct xdp_md *ctx)
{
	return harness_tag(ctx) ? XDP_TX : XDP_PASS;
}

/* Generic mode: the frame goes to the stack of the ingress link as an skb,
 * where the generic program attached to that link redirects it. */
SEC("xdp")
int xdp_cost_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_cost_redirect(struct xdp_md *ctx)
{
	if (!harness_tag(ctx))
		return XDP_PASS;
	/* .rodata: the verifier keeps only the branch this case uses. */
	if (cost.map == XDPLAB_DEVMAP_HASH)
		return bpf_redirect_map(&cost_hash, cost.key, cost.flags);
	return bpf_redirect_map(&cost_array, cost.key, cost.flags);
}

/* The devmap entry program whose presence is the feature measured. */
SEC("xdp/devmap")
int xdp_cost_entry(struct xdp_md *ctx)
{
	return harness_tag(ctx) ? XDP_PASS : XDP_DROP;
}

/* The sink on the far peer: counts the run's frames and drops everything. */
SEC("xdp")
int xdp_cost_sink(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *count;

	if (harness_tag(ctx)) {
		count = bpf_map_lookup_elem(&sink_frames, &zero);
		if (count)
			*count += 1;
	}
	return XDP_DROP;
}
