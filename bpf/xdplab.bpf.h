/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Shared by every BPF program family: the includes, the run's identity in
 * .rodata, the events ring buffer (one per subtest: the harness hands the same
 * map to every object it loads for that subtest), the tag match and the stage
 * record (ring buffer event + the seed PoC's trace_pipe lines).
 *
 * UAPI headers rather than a vmlinux.h: nothing here needs CO-RE, so objects
 * load without the kernel's BTF and on every kernel from 5.8.
 */
#ifndef XDPLAB_BPF_H
#define XDPLAB_BPF_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab_event.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile struct xdplab_ident ident = {.printk = 1};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Events lost because the ring buffer was full: the harness treats > 0 as an error. */
__u64 ringbuf_drops = 0;

/* "xdplab <run><case as 4 hex digits>: ..." so that lines of concurrent
 * subtests can be told apart with bpf_trace_printk's three arguments. */
#define stage_printk(fmt, ...)                                                                  \
	do {                                                                                    \
		if (ident.printk)                                                               \
			bpf_printk("xdplab %llx: " fmt,                                         \
				   ((__u64)ident.run_id << 16) | (ident.case_id & 0xffff), ##__VA_ARGS__); \
	} while (0)

/* The tag of this run's and this subtest's frames in the packet between
 * data and data_end (an xdp_md's or an __sk_buff's); NULL for anything else. */
static __always_inline struct xdplab_tag *harness_tag_in(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;
	struct xdplab_tag *tag;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 ||
	    (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_ICMP))
		return NULL;
	/* UDP to the harness port, or an ICMP echo: an 8-byte header either way. */
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return NULL;
	if (ip->protocol == IPPROTO_UDP && udp->dest != bpf_htons(XDPLAB_UDP_PORT))
		return NULL;
	tag = (void *)(udp + 1);
	if ((void *)(tag + 1) > data_end)
		return NULL;
	if (tag->magic != bpf_htonl(XDPLAB_MAGIC) || tag->run_id != bpf_htonl(ident.run_id) ||
	    tag->case_id != bpf_htonl(ident.case_id))
		return NULL;
	return tag;
}

static __always_inline struct xdplab_tag *harness_tag(struct xdp_md *ctx)
{
	return harness_tag_in((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

struct stage_record {
	__u32 stage;
	__s32 redirect_ret;
	__s32 adjust_meta_ret;
	__u32 egress_ifindex;
	__s32 action;
	int count_byte; /* increment the tag's pkt_byte after reading it */
};

/* Record one stage: the event, the PoC-style trace lines, and the byte increment. */
static __always_inline void record_stage(struct xdp_md *ctx, struct xdplab_tag *tag, const struct stage_record *r)
{
	void *data = (void *)(long)ctx->data;
	void *data_meta = (void *)(long)ctx->data_meta;
	struct xdplab_event *ev;
	__u8 byte = tag->pkt_byte;

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		__sync_fetch_and_add(&ringbuf_drops, 1);
	} else {
		__builtin_memset(ev, 0, sizeof(*ev));
		ev->ts_ns = bpf_ktime_get_ns();
		ev->run_id = ident.run_id;
		ev->case_id = ident.case_id;
		ev->seq = bpf_ntohl(tag->seq);
		ev->stage = r->stage;
		ev->ingress_ifindex = ctx->ingress_ifindex;
		ev->egress_ifindex = r->egress_ifindex;
		ev->rx_queue_index = ctx->rx_queue_index;
		ev->redirect_ret = r->redirect_ret;
		ev->adjust_meta_ret = r->adjust_meta_ret;
		ev->action = r->action;
		ev->pkt_byte = byte;
		/* Root may subtract packet pointers; 5.8's invalid meta is data + 1.
		 * Stored straight into the 32-bit field: a sign extension of the
		 * difference would be pointer arithmetic the verifier refuses. */
		ev->meta_len = -1;
		if (data_meta <= data) {
			ev->meta_valid = 1;
			ev->meta_len = (long)data - (long)data_meta;
		}
		if (data_meta + sizeof(__u32) <= data)
			ev->meta_value = *(__u32 *)data_meta;
		bpf_ringbuf_submit(ev, 0);
	}

	if (r->stage != XDPLAB_STAGE_INGRESS_EXIT) {
		stage_printk("  stage=%d: dev=%u", r->stage, ctx->ingress_ifindex);
		stage_printk("  stage=%d: seq=%u", r->stage, bpf_ntohl(tag->seq));
		stage_printk("  stage=%d: pkt_data=%u", r->stage, byte);
	}
	if (r->count_byte)
		tag->pkt_byte = byte + 1;
}

#endif
