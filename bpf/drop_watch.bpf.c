// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the kernel did with frames no receiver saw, for every harness link at
 * once (their ifindexes are run-unique, 0x10000000-0x1fffffff):
 *
 *   kfree_skb_reason / kfree_skb_plain   skb:kfree_skb, with the drop reason
 *                                        where the kernel has one (5.17+)
 *   xdp_verdict                          fexit on a case's XDP program: the
 *                                        action it returned for each frame
 *
 * Each record carries the first bytes of the packet, from which the harness
 * tells a tagged frame (run, case, seq) or an echo request (id, seq) apart.
 * The only object built with CO-RE: sk_buff's layout is the running kernel's,
 * read through its BTF.
 */
#include <linux/bpf.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include "xdplab_event.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct net_device {
	int ifindex;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	unsigned char *head;
	__u16 network_header;
	__u16 mac_header;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} drops SEC(".maps");

__u64 lost = 0;

/* Which program xdp_verdict watches (its id), set before load. */
const volatile __u32 watched_prog_id = 0;

static __always_inline int harness_ifindex(int ifindex)
{
	return ifindex >= 0x10000000 && ifindex < 0x20000000;
}

static __always_inline int kfree(struct sk_buff *skb, __u64 location, __u32 reason)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	struct xdplab_drop_record *r;
	unsigned char *head;
	int ifindex;
	__u16 nh;

	if (!dev)
		return 0;
	ifindex = BPF_CORE_READ(dev, ifindex);
	if (!harness_ifindex(ifindex))
		return 0;
	r = bpf_ringbuf_reserve(&drops, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->kind = XDPLAB_RECORD_KFREE_SKB;
	r->ifindex = ifindex;
	r->reason = reason;
	r->location = location;
	head = BPF_CORE_READ(skb, head);
	nh = BPF_CORE_READ(skb, network_header);
	/* The IP header on: whatever of it was still there when the skb went. */
	if (bpf_probe_read_kernel(r->bytes, sizeof(r->bytes), head + nh) == 0)
		r->len = sizeof(r->bytes);
	bpf_ringbuf_submit(r, 0);
	return 0;
}

/* 5.17+: kfree_skb(skb, location, reason[, rx_sk]). */
SEC("raw_tp/kfree_skb")
int kfree_skb_reason(struct bpf_raw_tracepoint_args *ctx)
{
	return kfree((struct sk_buff *)ctx->args[0], ctx->args[1], (__u32)ctx->args[2]);
}

/* Before: kfree_skb(skb, location); the kernel refuses to attach the one above. */
SEC("raw_tp/kfree_skb")
int kfree_skb_plain(struct bpf_raw_tracepoint_args *ctx)
{
	return kfree((struct sk_buff *)ctx->args[0], ctx->args[1], 0);
}

/*
 * fexit on an XDP program: ctx[0] is the struct xdp_buff the program ran on
 * (data, data_end first in every kernel since 5.8), ctx[1] what it returned.
 * The bytes are the frame as the program left it, from the Ethernet header.
 */
SEC("fexit")
int xdp_verdict(unsigned long long *ctx)
{
	void *xdp = (void *)ctx[0];
	struct xdplab_drop_record *r;
	void *data = 0, *data_end = 0;
	long len;

	bpf_probe_read_kernel(&data, sizeof(data), xdp);
	bpf_probe_read_kernel(&data_end, sizeof(data_end), xdp + sizeof(void *));
	r = bpf_ringbuf_reserve(&drops, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->kind = XDPLAB_RECORD_VERDICT;
	r->prog_id = watched_prog_id;
	r->reason = (__u32)ctx[1];
	len = data_end - data;
	if (len > (long)sizeof(r->bytes))
		len = sizeof(r->bytes);
	if (len > 0 && bpf_probe_read_kernel(r->bytes, sizeof(r->bytes), data) == 0)
		r->len = len;
	bpf_ringbuf_submit(r, 0);
	return 0;
}
