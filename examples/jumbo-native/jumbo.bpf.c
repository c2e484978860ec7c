// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A jumbo-frame program, as a user writes it: frags-aware (SEC("xdp.frags"),
 * so the kernel may hand it frames larger than a page), it records the
 * length of the largest frame it saw and passes everything on.
 *
 * Build: clang -O2 -g -target bpf -c jumbo.bpf.c -o jumbo.bpf.o
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 frames = 0;
__u64 largest = 0;

SEC("xdp.frags")
int jumbo(struct xdp_md *ctx)
{
	__u64 len = bpf_xdp_get_buff_len(ctx);

	__sync_fetch_and_add(&frames, 1);
	if (len > largest)
		largest = len;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
