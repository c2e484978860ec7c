/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one contract between the BPF programs and the C++ harness: the frame tag
 * that marks harness traffic, the per-packet event every stage writes to the
 * ring buffer, and the configuration each program family reads from .rodata
 * (set by the harness before load).
 *
 * Included by BPF C (after the UAPI headers) and by C++ (after <linux/types.h>).
 */
#ifndef XDPLAB_EVENT_H
#define XDPLAB_EVENT_H

/* Harness frames: Ethernet / IPv4 / UDP to XDPLAB_UDP_PORT, then this payload. */
#define XDPLAB_UDP_PORT 47474
#define XDPLAB_MAGIC 0x584c4142u /* "XLAB" */

struct xdplab_tag {
	__u32 magic;   /* XDPLAB_MAGIC, network byte order on the wire */
	__u32 run_id;  /* per harness run */
	__u32 case_id; /* per experiment subtest */
	__u32 seq;     /* per frame, from 0 */
	__u8 pkt_byte; /* read and incremented by every stage (PoC: 54 -> 55 -> 56) */
	__u8 pad[3];
};

#define XDPLAB_PKT_BYTE_START 54
/* Offset of xdplab_tag from the start of the Ethernet header. */
#define XDPLAB_TAG_OFFSET (14 + 20 + 8)

/* Stages, numbered as in the seed PoC (1-4), then the harness's own. */
enum xdplab_stage {
	XDPLAB_STAGE_INGRESS_ENTRY = 1,  /* ingress program, before any redirect call */
	XDPLAB_STAGE_EGRESS = 2,         /* devmap entry program */
	XDPLAB_STAGE_AFTER_CALL1 = 3,    /* ingress program, after the first bpf_redirect_map */
	XDPLAB_STAGE_AFTER_CALL2 = 4,    /* ingress program, after the second call */
	XDPLAB_STAGE_PEER = 5,           /* XDP program on a receiving veth peer */
	XDPLAB_STAGE_INGRESS_EXIT = 6,   /* ingress program, the action it returns */
};

/* No action recorded for this stage (it does not decide the frame's fate). */
#define XDPLAB_NO_ACTION (-1)

struct xdplab_event {
	__u64 ts_ns;            /* bpf_ktime_get_ns() */
	__u32 run_id;
	__u32 case_id;
	__u32 seq;
	__u32 stage;            /* enum xdplab_stage */
	__u32 ingress_ifindex;  /* ctx->ingress_ifindex */
	__u32 egress_ifindex;   /* ctx->egress_ifindex (stage 2 only, else 0) */
	__u32 rx_queue_index;   /* ctx->rx_queue_index */
	__s32 redirect_ret;     /* return of the bpf_redirect_map call of this stage (3, 4) */
	__s32 adjust_meta_ret;  /* bpf_xdp_adjust_meta() result (stage 1 when writing meta) */
	__u32 meta_value;       /* first 4 metadata bytes, when meta_len >= 4 */
	__s32 meta_len;         /* data - data_meta; -1 when data_meta > data (invalid) */
	__s32 action;           /* the XDP action this stage returns, or XDPLAB_NO_ACTION */
	__u8 meta_valid;        /* data_meta <= data */
	__u8 pkt_byte;          /* the tag's pkt_byte as this stage read it */
	__u8 pad[6];
};

/* In every family's .rodata: whose frames to act on and how to log. */
struct xdplab_ident {
	__u32 run_id;
	__u32 case_id;
	__u32 printk;           /* emit trace_pipe stage lines in the PoC's format */
	__u32 pad;
};

/* How the ingress program ends after its redirect call(s). */
enum xdplab_return_policy {
	XDPLAB_RETURN_LAST_HELPER_VALUE = 0, /* return bpf_redirect_map(...) as usual */
	XDPLAB_RETURN_REDIRECT_ALWAYS = 1,   /* ignore the helper and return XDP_REDIRECT */
	XDPLAB_RETURN_FIXED = 2,             /* return fixed_action (no redirect call needed) */
};

/* Which devmap a redirect call goes through. */
enum xdplab_devmap {
	XDPLAB_DEVMAP_ARRAY = 0, /* tx_array, BPF_MAP_TYPE_DEVMAP */
	XDPLAB_DEVMAP_HASH = 1,  /* tx_hash, BPF_MAP_TYPE_DEVMAP_HASH */
	XDPLAB_DEVMAP_GROUP = 2, /* tx_group, a second BPF_MAP_TYPE_DEVMAP */
};

/* .rodata of redirect_chain.bpf.c (the staged ingress program). */
struct xdplab_chain_config {
	__u32 calls;            /* 0, 1 or 2 bpf_redirect_map calls */
	__u32 map[2];           /* enum xdplab_devmap, per call */
	__u32 key[2];
	__u64 flags[2];
	__u32 return_policy;    /* enum xdplab_return_policy */
	__u32 fixed_action;     /* with XDPLAB_RETURN_FIXED */
	__u32 write_meta;       /* ingress writes meta_value ^ seq into 4 bytes of data_meta */
	__u32 meta_value;
};

/* .rodata of devmap_prog.bpf.c (the devmap entry program). */
struct xdplab_entry_config {
	__u32 verdict;          /* what the entry program returns (XDP_PASS by default) */
	__u32 pad;
};

/* bpf/drop_watch.bpf.c: what the kernel did with a frame no receiver saw. */
enum xdplab_record_kind {
	XDPLAB_RECORD_KFREE_SKB = 1, /* skb:kfree_skb on a harness link; reason, IP packet bytes */
	XDPLAB_RECORD_VERDICT = 2,   /* fexit of a watched XDP program; action, frame bytes */
};

struct xdplab_drop_record {
	__u32 kind;    /* enum xdplab_record_kind */
	__u32 ifindex; /* kfree_skb: the skb's device */
	__u32 reason;  /* kfree_skb: enum skb_drop_reason (0 before 5.17); verdict: the XDP action */
	__u32 prog_id; /* verdict: the watched program */
	__u32 len;     /* valid bytes */
	__u32 pad;
	__u64 location; /* kfree_skb: the address that freed it */
	__u8 bytes[96];
};

#endif
