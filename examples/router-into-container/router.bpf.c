// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A router's XDP program, as a user writes it: every IPv4 frame that comes
 * in on the uplink is redirected, through a DEVMAP, into the veth of a
 * container; everything else goes to the router's stack. Nothing here knows
 * about xdplab.
 *
 * Build: clang -O2 -g -target bpf -c router.bpf.c -o router.bpf.o
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

/* Which port of `ports` the container is behind. */
const volatile __u32 container_port = 0;

SEC("xdp")
int route(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	return bpf_redirect_map(&ports, container_port, XDP_PASS);
}

/* What a container might run on its own end, if anything. */
SEC("xdp")
int pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
