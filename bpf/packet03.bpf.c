// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The programs of xdp-tutorial packet03 (seed 003), as its assignments ask
 * for them, plus its per-action statistics map:
 *
 *   xdp_pass          the "dummy" program the tutorial puts on veth peers
 *   xdp_icmp_echo     assignment 1: answers ICMP / ICMPv6 echo with XDP_TX
 *   xdp_redirect      assignment 2: bpf_redirect() with MACs from .rodata
 *   xdp_redirect_map  assignment 3: bpf_redirect_map() through tx_port, the
 *                     destination MAC from redirect_params (filled by user space)
 *   xdp_action_rule   the stats experiment: the harness frame's seq decides
 *                     the action, so the map's sums can be checked
 *
 * Every program records its action in xdp_stats_map as the tutorial's
 * xdp_stats_record_action() does: packets and bytes (data_end - data) per
 * action, per CPU. Each object has its own maps, as each link of the
 * tutorial has its own loaded program.
 */
#include "xdplab.bpf.h"
#include <linux/ipv6.h>

/* linux/icmp.h pulls in libc headers; these four values are all it would give. */
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY 129

#ifndef ETH_ALEN
#define ETH_ALEN 6
#endif

struct datarec {
	__u64 rx_packets;
	__u64 rx_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, XDP_REDIRECT + 1);
} xdp_stats_map SEC(".maps");

/* Assignment 3: virtual port 0 -> the other link; source MAC -> next hop MAC. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 256);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, ETH_ALEN);
	__uint(value_size, ETH_ALEN);
	__uint(max_entries, 64);
} redirect_params SEC(".maps");

/* Assignment 2: what the tutorial hard-codes, set by the harness before load. */
const volatile struct {
	__u32 ifindex;
	__u8 dst[ETH_ALEN];
	__u8 src[ETH_ALEN];
} redirect_to = {};

/* The stats experiment: which sequence numbers get which action. */
const volatile __u32 rule_actions = XDP_REDIRECT + 1;

/* A harness frame's verdict, so that every one of them is accounted for.
 * Not inlined: its packet accesses must not share registers with the
 * caller's (clang would then keep 32-bit copies the verifier refuses). */
static __noinline __u32 record_verdict(struct xdp_md *ctx, __u32 action)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	struct stage_record r = {.stage = XDPLAB_STAGE_INGRESS_EXIT, .action = (__s32)action};

	if (tag)
		record_stage(ctx, tag, &r);
	return action;
}

static __always_inline __u32 xdp_stats_record_action(struct xdp_md *ctx, __u32 action)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct datarec *rec;

	/* Without this clang knows both are 32-bit loads and subtracts in 32
	 * bits, turning pkt_end into a scalar the verifier will not subtract. */
	asm volatile("" : "+r"(data_end), "+r"(data));
	if (action > XDP_REDIRECT)
		return XDP_ABORTED;
	rec = bpf_map_lookup_elem(&xdp_stats_map, &action);
	if (!rec)
		return XDP_ABORTED;
	/* Per-CPU values: no atomics needed, as in the tutorial. */
	rec->rx_packets++;
	rec->rx_bytes += data_end - data;
	return record_verdict(ctx, action);
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return xdp_stats_record_action(ctx, XDP_PASS);
}

/* type, code and checksum: the 4 bytes the reply changes, as one word. */
struct icmphdr_common {
	__u8 type;
	__u8 code;
	__sum16 cksum;
};

static __always_inline __u16 csum_fold_helper(__u32 csum)
{
	__u32 sum = (csum >> 16) + (csum & 0xffff);

	sum += sum >> 16;
	return ~sum;
}

/* RFC 1624 through bpf_csum_diff: the old checksum's complement is the seed. */
static __always_inline void echo_to_reply(struct icmphdr_common *h, __u8 reply_type)
{
	struct icmphdr_common old;
	__u16 old_csum = h->cksum;
	__u32 csum;

	h->cksum = 0;
	old = *h;
	h->type = reply_type;
	csum = bpf_csum_diff((__be32 *)&old, sizeof(old), (__be32 *)h, sizeof(*h), (__u16)~old_csum);
	h->cksum = csum_fold_helper(csum);
}

static __always_inline void swap_macs(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

SEC("xdp")
int xdp_icmp_echo(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct icmphdr_common *icmp;
	__u32 action = XDP_PASS;

	if ((void *)(eth + 1) > data_end)
		goto out;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		__be32 tmp;

		if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_ICMP)
			goto out;
		icmp = (void *)(ip + 1);
		if ((void *)(icmp + 1) > data_end || icmp->type != ICMP_ECHO)
			goto out;
		/* Addresses swap in place: the IP header checksum stays right. */
		tmp = ip->saddr;
		ip->saddr = ip->daddr;
		ip->daddr = tmp;
		echo_to_reply(icmp, ICMP_ECHOREPLY);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		struct in6_addr tmp;

		if ((void *)(ip6 + 1) > data_end || ip6->nexthdr != IPPROTO_ICMPV6)
			goto out;
		icmp = (void *)(ip6 + 1);
		if ((void *)(icmp + 1) > data_end || icmp->type != ICMPV6_ECHO_REQUEST)
			goto out;
		/* The pseudo-header sums both addresses: swapping them changes nothing. */
		tmp = ip6->saddr;
		ip6->saddr = ip6->daddr;
		ip6->daddr = tmp;
		echo_to_reply(icmp, ICMPV6_ECHO_REPLY);
	} else {
		goto out;
	}
	swap_macs(eth);
	action = XDP_TX;
out:
	return xdp_stats_record_action(ctx, action);
}

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u32 action = XDP_PASS;

	if ((void *)(eth + 1) > data_end)
		goto out;
	/* Byte by byte: a memcpy would cast the volatile away, and clang would
	 * fold the all-zero initial .rodata into the program. */
	for (int i = 0; i < ETH_ALEN; i++) {
		eth->h_dest[i] = redirect_to.dst[i];
		eth->h_source[i] = redirect_to.src[i];
	}
	action = bpf_redirect(redirect_to.ifindex, 0);
out:
	return xdp_stats_record_action(ctx, action);
}

SEC("xdp")
int xdp_redirect_map(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u32 action = XDP_PASS;
	__u8 *dst;

	if ((void *)(eth + 1) > data_end)
		goto out;
	/* Do we know where to redirect this frame? */
	dst = bpf_map_lookup_elem(&redirect_params, eth->h_source);
	if (!dst)
		goto out;
	__builtin_memcpy(eth->h_dest, dst, ETH_ALEN);
	action = bpf_redirect_map(&tx_port, 0, 0);
out:
	return xdp_stats_record_action(ctx, action);
}

/*
 * seq % rule_actions picks the action of a harness frame (0 ABORTED, 1 DROP,
 * 2 PASS, 3 TX, 4 REDIRECT back out of the ingress link). Other frames pass
 * uncounted: only what the harness sent may be compared with the sums.
 */
SEC("xdp")
int xdp_action_rule(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = (void *)(long)ctx->data;
	struct xdplab_tag *tag = harness_tag(ctx);
	__u32 action;

	if (!tag || (void *)(eth + 1) > data_end)
		return XDP_PASS;
	action = bpf_ntohl(tag->seq) % rule_actions;
	if (action == XDP_TX) {
		swap_macs(eth);
	} else if (action == XDP_REDIRECT) {
		swap_macs(eth);
		action = bpf_redirect(ctx->ingress_ifindex, 0);
	}
	return xdp_stats_record_action(ctx, action);
}
