// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * How much room the kernel gives a program on the frame it received: the
 * largest bpf_xdp_adjust_head(-N) (headroom), bpf_xdp_adjust_meta(-N)
 * (metadata) and bpf_xdp_adjust_tail(+N) (tail growth) that succeed. No
 * interface reports these values (xdp-tutorial issue 267), so the program
 * finds each one by trying: a binary search, every successful adjustment
 * undone at once, so the frame leaves exactly as it came and XDP_PASS
 * delivers it to the receiver (which accounts for it).
 *
 * Each tagged frame is searched anew; the globals hold the smallest and the
 * largest value over the frames, so one number never stands for frames that
 * were not alike (the harness reports both when they differ).
 */
#include "xdplab.bpf.h"

/* The searches cover [0, 2^BITS - 1] units: beyond any room a 4 KiB page or
 * an skb head offers. A value at the top would mean "at least". */
#define HEAD_BITS 13 /* up to 8191 bytes */
#define META_BITS 7  /* up to 127 words of 4 bytes */
#define TAIL_BITS 15 /* up to 32767 bytes */

__u64 seen_frames = 0;
/* Over the frames: the smallest and largest N that succeeded, and the error
 * of the step just above it (adjust_head(-(N+1)), adjust_meta(-(N+4)),
 * adjust_tail(N+1)) on the frame with the smallest N. */
__s32 headroom_min = -1, headroom_max = -1, headroom_err = 0;
__s32 meta_room_min = -1, meta_room_max = -1, meta_err = 0; /* multiples of 4 */
__s32 tail_room_min = -1, tail_room_max = -1, tail_err = 0;
__u32 linear_len_min = 0, linear_len_max = 0; /* data_end - data */

static __always_inline int try_head(struct xdp_md *ctx, int n)
{
	int err = bpf_xdp_adjust_head(ctx, -n);

	if (!err)
		bpf_xdp_adjust_head(ctx, n);
	return err;
}

static __always_inline int try_meta(struct xdp_md *ctx, int n)
{
	int err = bpf_xdp_adjust_meta(ctx, -n);

	if (!err)
		bpf_xdp_adjust_meta(ctx, n);
	return err;
}

static __always_inline int try_tail(struct xdp_md *ctx, int n)
{
	int err = bpf_xdp_adjust_tail(ctx, n);

	if (!err)
		bpf_xdp_adjust_tail(ctx, -n);
	return err;
}

/* The largest n (in units) for which try(n) is 0, bit by bit from the top,
 * and the error of the step just above it. Every try either succeeds and is
 * undone or fails without changing the frame, so the room is the same for
 * every probe and, the rooms being monotonic, the search is exact.
 *
 * Unrolled, with n never compared: the verifier does not need n's exact
 * value, so the paths of each step (try succeeded, try failed) merge again
 * and verification stays linear in the number of bits. A bisection on
 * lo/hi makes both precise and costs tens of seconds of verification in
 * an emulated guest. */
#define LARGEST(ctx, try, bits, unit, out, out_err)                                \
	do {                                                                       \
		__u32 n = 0;                                                       \
		_Pragma("unroll") for (int b = (bits) - 1; b >= 0; b--)            \
			if (try(ctx, (int)((n + (1u << b)) * (unit))) == 0)        \
				n += 1u << b;                                      \
		out = (int)(n * (unit));                                           \
		out_err = try(ctx, (int)((n + 1) * (unit)));                       \
	} while (0)

static __always_inline int measure(struct xdp_md *ctx)
{
	struct xdplab_tag *tag = harness_tag(ctx);
	struct stage_record r = {.stage = XDPLAB_STAGE_INGRESS_ENTRY, .action = XDP_PASS};
	int head, head_err, meta, m_err, tail, t_err;
	__u32 len;
	int first;

	if (!tag)
		return XDP_PASS;
	record_stage(ctx, tag, &r);

	LARGEST(ctx, try_head, HEAD_BITS, 1, head, head_err);
	LARGEST(ctx, try_meta, META_BITS, 4, meta, m_err);
	LARGEST(ctx, try_tail, TAIL_BITS, 1, tail, t_err);
	/* Read after the searches (the frame is as it came): a packet pointer
	 * kept across them would have to be spilled, which the verifier refuses. */
	len = (long)ctx->data_end - (long)ctx->data;

	/* A subtest's frames come from one sender, one after another: plain
	 * updates suffice. (An atomic fetch-and-add whose result is used needs
	 * BPF_FETCH, 5.12: 5.10's verifier refuses it.) */
	first = seen_frames == 0;
	__sync_fetch_and_add(&seen_frames, 1);
	if (first) {
		headroom_min = headroom_max = head;
		meta_room_min = meta_room_max = meta;
		tail_room_min = tail_room_max = tail;
		linear_len_min = linear_len_max = len;
		headroom_err = head_err;
		meta_err = m_err;
		tail_err = t_err;
		return XDP_PASS;
	}
	if (head < headroom_min) {
		headroom_min = head;
		headroom_err = head_err;
	}
	if (head > headroom_max)
		headroom_max = head;
	if (meta < meta_room_min) {
		meta_room_min = meta;
		meta_err = m_err;
	}
	if (meta > meta_room_max)
		meta_room_max = meta;
	if (tail < tail_room_min) {
		tail_room_min = tail;
		tail_err = t_err;
	}
	if (tail > tail_room_max)
		tail_room_max = tail;
	if (len < linear_len_min)
		linear_len_min = len;
	if (len > linear_len_max)
		linear_len_max = len;
	return XDP_PASS;
}

SEC("xdp")
int xdp_room(struct xdp_md *ctx)
{
	return measure(ctx);
}

/* The same, frags-aware (BPF_F_XDP_HAS_FRAGS, 5.18+): on a multi-buffer
 * frame the tail grows into the last fragment. */
SEC("xdp.frags")
int xdp_room_frags(struct xdp_md *ctx)
{
	return measure(ctx);
}
