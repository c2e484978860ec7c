/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The contract between cost.bpf.c (the cost bench, catalog E) and the C++
 * harness: the .rodata each cost case sets before load. Included by BPF C
 * (after the UAPI headers) and by C++ (after <linux/types.h>).
 */
#ifndef XDPLAB_COST_H
#define XDPLAB_COST_H

/* Ports of a broadcast; both devmaps have this many slots. */
#define XDPLAB_COST_MAX_PORTS 8

struct xdplab_cost_config {
	__u32 map;   /* enum xdplab_devmap: XDPLAB_DEVMAP_ARRAY or XDPLAB_DEVMAP_HASH */
	__u32 key;
	__u64 flags; /* bpf_redirect_map flags, e.g. BPF_F_BROADCAST */
};

#endif
