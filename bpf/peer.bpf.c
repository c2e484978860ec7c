// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * On a receiving veth peer (stage 5): records the arrival and passes the
 * frame on to the stack. Its mere presence also matters: native redirects
 * into a veth are delivered only if the peer has XDP (kernel-history row 7).
 */
#include "xdplab.bpf.h"

SEC("xdp")
int xdp_peer(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	struct stage_record r = {.stage = XDPLAB_STAGE_PEER, .action = XDP_PASS};

	if (tag)
		record_stage(ctx, tag, &r);
	return XDP_PASS;
}
