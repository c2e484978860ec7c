// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The staged programs of the seed PoC (000_5f15cc28eda8fab8.txt), made observable:
 *
 *   xdp_ingress  stage 1 -> bpf_redirect_map #1 -> stage 3 -> [#2 -> stage 4] -> return
 *   xdp_egress   stage 2, the devmap entry program (BPF_XDP_DEVMAP)
 *   xdp_peer     stage 5, on receiving veth peers: records arrival, passes
 *
 * Every stage reads the tag's pkt_byte, records it, and increments it, so the
 * harness can see which writes reached the next stage and the wire. Frames
 * without this run's tag are passed untouched.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab_event.h"

#define ETH_P_IP 0x0800

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile struct xdplab_config cfg = {
	.egress_verdict = XDP_PASS,
	.printk = 1,
};

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
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Events lost because the ring buffer was full: the harness treats > 0 as an error. */
__u64 ringbuf_drops = 0;

#define stage_printk(fmt, ...) \
	do { if (cfg.printk) bpf_printk("xdplab %x: " fmt, cfg.run_id, ##__VA_ARGS__); } while (0)

static __always_inline struct xdplab_tag *harness_tag(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;
	struct xdplab_tag *tag;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return NULL;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end || udp->dest != bpf_htons(XDPLAB_UDP_PORT))
		return NULL;
	tag = (void *)(udp + 1);
	if ((void *)(tag + 1) > data_end)
		return NULL;
	if (tag->magic != bpf_htonl(XDPLAB_MAGIC) || tag->run_id != bpf_htonl(cfg.run_id) ||
	    tag->case_id != bpf_htonl(cfg.case_id))
		return NULL;
	return tag;
}

/* Record one stage: the event, the PoC-style trace lines, and the byte increment. */
static __always_inline void record_stage(struct xdp_md *ctx, struct xdplab_tag *tag, __u32 stage,
					 __s32 redirect_ret, __s32 adjust_meta_ret, __u32 egress_ifindex,
					 int count_byte)
{
	void *data = (void *)(long)ctx->data;
	void *data_meta = (void *)(long)ctx->data_meta;
	struct xdplab_event *ev;
	__u8 byte = tag->pkt_byte;
	/* Root may subtract packet pointers; 5.8's invalid meta is data + 1, so -1 here. */
	long meta_len = (long)data - (long)data_meta;

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		__sync_fetch_and_add(&ringbuf_drops, 1);
	} else {
		__builtin_memset(ev, 0, sizeof(*ev));
		ev->ts_ns = bpf_ktime_get_ns();
		ev->run_id = cfg.run_id;
		ev->case_id = cfg.case_id;
		ev->seq = bpf_ntohl(tag->seq);
		ev->stage = stage;
		ev->ingress_ifindex = ctx->ingress_ifindex;
		ev->egress_ifindex = egress_ifindex;
		ev->rx_queue_index = ctx->rx_queue_index;
		ev->redirect_ret = redirect_ret;
		ev->adjust_meta_ret = adjust_meta_ret;
		ev->pkt_byte = byte;
		ev->meta_valid = data_meta <= data;
		ev->meta_len = data_meta <= data ? (__s32)meta_len : -1;
		if (data_meta + sizeof(__u32) <= data)
			ev->meta_value = *(__u32 *)data_meta;
		bpf_ringbuf_submit(ev, 0);
	}

	stage_printk("  stage=%d: dev=%u", stage, ctx->ingress_ifindex);
	stage_printk("  stage=%d: seq=%u", stage, bpf_ntohl(tag->seq));
	stage_printk("  stage=%d: pkt_data=%u", stage, byte);
	if (count_byte)
		tag->pkt_byte = byte + 1;
}

static __always_inline long redirect_call(int i)
{
	if (cfg.use_hash_map)
		return bpf_redirect_map(&tx_hash, cfg.key[i], cfg.flags[i]);
	return bpf_redirect_map(&tx_array, cfg.key[i], cfg.flags[i]);
}

SEC("xdp")
int xdp_ingress(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	__s32 adjust_ret = 0;
	long ret = XDP_PASS;

	if (!tag)
		return XDP_PASS;

	if (cfg.write_meta) {
		__u32 seq = bpf_ntohl(tag->seq);

		adjust_ret = bpf_xdp_adjust_meta(ctx, -(int)sizeof(__u32));
		if (adjust_ret == 0) {
			void *data = (void *)(long)ctx->data;
			__u32 *meta = (void *)(long)ctx->data_meta;

			if ((void *)(meta + 1) <= data)
				*meta = cfg.meta_value ^ seq;
		}
		tag = harness_tag(ctx); /* adjust_meta invalidated packet pointers */
		if (!tag)
			return XDP_ABORTED;
	}

	stage_printk("XDP ingress (stage=%d)", XDPLAB_STAGE_INGRESS_ENTRY);
	record_stage(ctx, tag, XDPLAB_STAGE_INGRESS_ENTRY, 0, adjust_ret, 0, 1);

	if (cfg.calls >= 1) {
		ret = redirect_call(0);
		stage_printk("XDP ingress (stage=3), bpf_redirect_map ret=%ld", ret);
		record_stage(ctx, tag, XDPLAB_STAGE_AFTER_CALL1, (__s32)ret, 0, 0, 1);
	}
	if (cfg.calls >= 2) {
		ret = redirect_call(1);
		stage_printk("XDP ingress (stage=4), bpf_redirect_map ret=%ld", ret);
		record_stage(ctx, tag, XDPLAB_STAGE_AFTER_CALL2, (__s32)ret, 0, 0, 1);
	}

	if (cfg.return_policy == XDPLAB_RETURN_REDIRECT_ALWAYS)
		return XDP_REDIRECT;
	return ret;
}

SEC("xdp/devmap")
int xdp_egress(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);
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
	record_stage(ctx, tag, XDPLAB_STAGE_EGRESS, 0, 0, ctx->egress_ifindex, 1);
	return cfg.egress_verdict;
}

SEC("xdp")
int xdp_peer(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);

	if (tag)
		record_stage(ctx, tag, XDPLAB_STAGE_PEER, 0, 0, 0, 0);
	return XDP_PASS;
}
