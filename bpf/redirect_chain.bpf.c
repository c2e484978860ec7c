// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The staged ingress program of the seed PoC (000_5f15cc28eda8fab8.txt):
 *
 *   stage 1 -> bpf_redirect_map #1 -> stage 3 -> [#2 -> stage 4] -> return (stage 6)
 *
 * The devmaps' value size is set by the harness before load: 8 bytes
 * (struct bpf_devmap_val) when an entry carries a program, else 4 (a plain
 * ifindex), because before 5.15 a generic-mode program that merely references
 * an 8-byte devmap cannot be attached (kernel-history row 5).
 *
 * tx_group is a second DEVMAP, so that a broadcast can be aimed at one of
 * several maps used as multicast groups (map_devmap.rst).
 */
#include "xdplab.bpf.h"

const volatile struct xdplab_chain_config chain = {};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bpf_devmap_val));
	__uint(max_entries, 64);
} tx_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bpf_devmap_val));
	__uint(max_entries, 64);
} tx_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bpf_devmap_val));
	__uint(max_entries, 64);
} tx_group SEC(".maps");

static __always_inline long redirect_call(int i)
{
	if (chain.map[i] == XDPLAB_DEVMAP_HASH)
		return bpf_redirect_map(&tx_hash, chain.key[i], chain.flags[i]);
	if (chain.map[i] == XDPLAB_DEVMAP_GROUP)
		return bpf_redirect_map(&tx_group, chain.key[i], chain.flags[i]);
	return bpf_redirect_map(&tx_array, chain.key[i], chain.flags[i]);
}

SEC("xdp")
int xdp_ingress(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	struct stage_record r = {.action = XDPLAB_NO_ACTION, .count_byte = 1};
	long ret = XDP_PASS;

	if (!tag)
		return XDP_PASS;

	if (chain.write_meta) {
		__u32 seq = bpf_ntohl(tag->seq);

		r.adjust_meta_ret = bpf_xdp_adjust_meta(ctx, -(int)sizeof(__u32));
		if (r.adjust_meta_ret == 0) {
			void *data = (void *)(long)ctx->data;
			__u32 *meta = (void *)(long)ctx->data_meta;

			if ((void *)(meta + 1) <= data)
				*meta = chain.meta_value ^ seq;
		}
		tag = harness_tag(ctx); /* adjust_meta invalidated packet pointers */
		if (!tag)
			return XDP_ABORTED;
	}

	stage_printk("XDP ingress (stage=%d)", XDPLAB_STAGE_INGRESS_ENTRY);
	r.stage = XDPLAB_STAGE_INGRESS_ENTRY;
	record_stage(ctx, tag, &r);
	r.adjust_meta_ret = 0;

	if (chain.calls >= 1) {
		ret = redirect_call(0);
		stage_printk("XDP ingress (stage=3), bpf_redirect_map ret=%ld", ret);
		r.stage = XDPLAB_STAGE_AFTER_CALL1;
		r.redirect_ret = (__s32)ret;
		record_stage(ctx, tag, &r);
	}
	if (chain.calls >= 2) {
		ret = redirect_call(1);
		stage_printk("XDP ingress (stage=4), bpf_redirect_map ret=%ld", ret);
		r.stage = XDPLAB_STAGE_AFTER_CALL2;
		r.redirect_ret = (__s32)ret;
		record_stage(ctx, tag, &r);
	}

	if (chain.return_policy == XDPLAB_RETURN_REDIRECT_ALWAYS)
		ret = XDP_REDIRECT;
	else if (chain.return_policy == XDPLAB_RETURN_FIXED)
		ret = chain.fixed_action;
	r.stage = XDPLAB_STAGE_INGRESS_EXIT;
	r.redirect_ret = 0;
	r.action = (__s32)ret;
	r.count_byte = 0;
	record_stage(ctx, tag, &r);
	return ret;
}
