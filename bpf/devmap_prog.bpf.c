// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The devmap entry program (stage 2 of the seed PoC): loaded with expected
 * attach type BPF_XDP_DEVMAP (libbpf section "xdp/devmap"), stored in a
 * devmap entry, run after XDP_REDIRECT. It records what it sees and returns
 * the verdict the harness configured.
 */
#include "xdplab.bpf.h"

const volatile struct xdplab_entry_config entry = {.verdict = XDP_PASS};

SEC("xdp/devmap")
int xdp_egress(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	struct stage_record r = {.stage = XDPLAB_STAGE_EGRESS, .count_byte = 1};
	void *data, *data_meta;

	if (!tag)
		return XDP_PASS;

	data = (void *)(long)ctx->data;
	data_meta = (void *)(long)ctx->data_meta;
	stage_printk("XDP egress (stage=%d)", XDPLAB_STAGE_EGRESS);
	if (data_meta > data)
		stage_printk("  stage=%d: invalid metadata", XDPLAB_STAGE_EGRESS);
	stage_printk("  stage=%d: egress_dev=%u", XDPLAB_STAGE_EGRESS, ctx->egress_ifindex);

	/* egress_ifindex is readable only in BPF_XDP_DEVMAP programs, so it is passed in. */
	r.egress_ifindex = ctx->egress_ifindex;
	r.action = (__s32)entry.verdict;
	record_stage(ctx, tag, &r);
	return entry.verdict;
}
