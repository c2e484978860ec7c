// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A bpf_fib_lookup() router, as in the kernel's samples/bpf/xdp_fwd_kern.c
 * and the xdp-tutorial's packet03 assignment 4: IPv4 and IPv6 packets are
 * looked up in the kernel's FIB with the ingress ifindex; on success the TTL /
 * hop limit is decremented, the MACs are rewritten and the frame redirected
 * to the egress device; any other lookup result passes the frame to the
 * stack (which answers for the router's own addresses, resolves neighbours,
 * or drops).
 *
 * Every lookup is counted per destination address, by return code and by
 * XDP action, so that the harness can tell the cases of one topology apart
 * whatever else (neighbour discovery, retransmissions) crosses the router.
 */
#include "xdplab.bpf.h"
#include <linux/ipv6.h>

#define AF_INET 2
#define AF_INET6 10
#define FIB_RET_SLOTS 16

struct fib_key {
	__u32 family;
	__u8 dst[16];
};

struct fib_count {
	__u64 ret[FIB_RET_SLOTS]; /* by bpf_fib_lookup() return code */
	__u64 action[XDP_REDIRECT + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct fib_key);
	__type(value, struct fib_count);
} fib_counts SEC(".maps");

static __always_inline int count(struct fib_key *key, int rc, int action)
{
	static const struct fib_count zero;
	struct fib_count *c = bpf_map_lookup_elem(&fib_counts, key);

	if (!c) {
		bpf_map_update_elem(&fib_counts, key, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&fib_counts, key);
		if (!c)
			return action;
	}
	if (rc >= 0 && rc < FIB_RET_SLOTS)
		__sync_fetch_and_add(&c->ret[rc], 1);
	if (action >= 0 && action <= XDP_REDIRECT)
		__sync_fetch_and_add(&c->action[action], 1);
	return action;
}

/* As ip_decrease_ttl(): the checksum is updated incrementally. */
static __always_inline void decrease_ttl(struct iphdr *ip)
{
	__u32 check = ip->check;

	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xFFFF));
	ip->ttl--;
}

SEC("xdp")
int xdp_fib_router(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct bpf_fib_lookup fib = {};
	struct fib_key key = {};
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	int rc;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		key.family = AF_INET;
		__builtin_memcpy(key.dst, &ip->daddr, 4);
		if (ip->ttl <= 1)
			return count(&key, -1, XDP_PASS);
		fib.family = AF_INET;
		fib.tos = ip->tos;
		fib.l4_protocol = ip->protocol;
		fib.tot_len = bpf_ntohs(ip->tot_len);
		fib.ipv4_src = ip->saddr;
		fib.ipv4_dst = ip->daddr;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > data_end)
			return XDP_PASS;
		key.family = AF_INET6;
		__builtin_memcpy(key.dst, &ip6->daddr, 16);
		if (ip6->hop_limit <= 1)
			return count(&key, -1, XDP_PASS);
		fib.family = AF_INET6;
		fib.flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0FFFFFFF);
		fib.l4_protocol = ip6->nexthdr;
		fib.tot_len = bpf_ntohs(ip6->payload_len);
		__builtin_memcpy(fib.ipv6_src, &ip6->saddr, 16);
		__builtin_memcpy(fib.ipv6_dst, &ip6->daddr, 16);
	} else {
		return XDP_PASS;
	}
	fib.ifindex = ctx->ingress_ifindex;

	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return count(&key, rc, XDP_PASS);

	/* The headers again, rather than pointers carried across the branches. */
	if (key.family == AF_INET) {
		ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		decrease_ttl(ip);
	} else {
		ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > data_end)
			return XDP_PASS;
		ip6->hop_limit--;
	}
	__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
	return count(&key, rc, bpf_redirect(fib.ifindex, 0));
}

/* For the hosts' ends of the links: a native redirect into a veth is
 * delivered only when the peer has an XDP program (kernel-history row 7),
 * the tutorial's "dummy programs for inner interfaces". */
SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
