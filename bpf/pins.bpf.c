// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The skeleton's statistics (seed 004, as the xdp-tutorial's basic03): per
 * XDP action, packets and bytes, in a map that user space pins in bpffs so
 * that another process (bpftool) can read it. The harness runs a known
 * number of frames through it with BPF_PROG_TEST_RUN.
 */
#include "xdplab.bpf.h"

struct datarec {
	__u64 rx_packets;
	__u64 rx_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XDP_REDIRECT + 1);
	__type(key, __u32);
	__type(value, struct datarec);
} stats_map SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	__u32 key = XDP_PASS;
	struct datarec *rec = bpf_map_lookup_elem(&stats_map, &key);

	if (!rec)
		return XDP_ABORTED;
	__sync_fetch_and_add(&rec->rx_packets, 1);
	__sync_fetch_and_add(&rec->rx_bytes, (long)ctx->data_end - (long)ctx->data);
	return XDP_PASS;
}
