// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Metadata handed from an ingress program to a devmap program, as a user
 * writes it: the ingress program puts 4 bytes in front of the packet
 * (bpf_xdp_adjust_meta) and redirects through a DEVMAP whose entry carries
 * check_meta; check_meta counts whether the 4 bytes are still there.
 *
 * Build: clang -O2 -g -target bpf -c meta.bpf.c -o meta.bpf.o
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MARKER 0xfeedbeef

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bpf_devmap_val));
} tx SEC(".maps");

/* 0: frames whose metadata reached the devmap program, 1: frames whose did not. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int tag_meta(struct xdp_md *ctx)
{
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(__u32)) == 0) {
		__u32 *meta = (void *)(long)ctx->data_meta;

		if ((void *)(meta + 1) <= (void *)(long)ctx->data)
			*meta = MARKER;
	}
	return bpf_redirect_map(&tx, 0, 0);
}

SEC("xdp/devmap")
int check_meta(struct xdp_md *ctx)
{
	__u32 *meta = (void *)(long)ctx->data_meta;
	__u32 slot = 1;
	__u64 *n;

	if ((void *)(meta + 1) <= (void *)(long)ctx->data && *meta == MARKER)
		slot = 0;
	n = bpf_map_lookup_elem(&seen, &slot);
	if (n)
		__sync_fetch_and_add(n, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
