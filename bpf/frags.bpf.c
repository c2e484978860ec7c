// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The same XDP_PASS program twice: plain, and frags-aware (SEC("xdp.frags"):
 * libbpf loads it with BPF_F_XDP_HAS_FRAGS, 5.18+). Native XDP on a veth
 * whose peer has a jumbo MTU is refused for the plain one (kernel-history
 * row 8). Both count this subtest's tagged frames and the largest length
 * they saw; the harness loads only the one a subtest needs, since a kernel
 * without frags support refuses the frags one at load.
 */
#include "xdplab.bpf.h"

__u64 seen_frames = 0;
__u64 seen_len = 0;

static __always_inline int pass(struct xdp_md *ctx, __u64 len)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	struct stage_record r = {.stage = XDPLAB_STAGE_INGRESS_ENTRY, .action = XDP_PASS};

	if (!tag)
		return XDP_PASS;
	__sync_fetch_and_add(&seen_frames, 1);
	if (len > seen_len)
		seen_len = len;
	record_stage(ctx, tag, &r);
	return XDP_PASS;
}

SEC("xdp")
int xdp_plain(struct xdp_md *ctx)
{
	return pass(ctx, (long)ctx->data_end - (long)ctx->data);
}

SEC("xdp.frags")
int xdp_frags(struct xdp_md *ctx)
{
	/* The linear part only: bpf_xdp_get_buff_len() would tie the object
	 * to 5.18 even where only the plain program is loaded. */
	return pass(ctx, (long)ctx->data_end - (long)ctx->data);
}
