// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The skeleton's tail call chain (seed 004): xdp_stage1 jumps through the
 * PROG_ARRAY jmp_map to xdp_stage2, which jumps to xdp_stage3. Each program
 * counts its run in stage_hits, so the harness sees which ones ran. A tail
 * call that finds no program falls through: the caller then returns
 * XDP_ABORTED, which the harness sees as the test run's return value.
 *
 * xdp_devmap_target has expected attach type BPF_XDP_DEVMAP: the harness
 * tries to put it into jmp_map, whose owner (xdp_stage1, loaded first) is a
 * plain XDP program (kernel-history row 10).
 */
#include "xdplab.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jmp_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} stage_hits SEC(".maps");

static __always_inline void hit(__u32 stage)
{
	__u64 *v = bpf_map_lookup_elem(&stage_hits, &stage);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xdp_stage1(struct xdp_md *ctx)
{
	hit(1);
	bpf_tail_call(ctx, &jmp_map, 1);
	return XDP_ABORTED;
}

SEC("xdp")
int xdp_stage2(struct xdp_md *ctx)
{
	hit(2);
	bpf_tail_call(ctx, &jmp_map, 2);
	return XDP_ABORTED;
}

SEC("xdp")
int xdp_stage3(struct xdp_md *ctx)
{
	hit(3);
	return XDP_PASS;
}

SEC("xdp/devmap")
int xdp_devmap_target(struct xdp_md *ctx)
{
	hit(4);
	return XDP_PASS;
}
