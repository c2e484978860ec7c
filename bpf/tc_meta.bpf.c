// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * On a link's tc ingress hook: what reaches the skb of a tagged frame that
 * an XDP program passed, in particular the metadata it left in front of
 * the frame (bpf_xdp_adjust_meta). A tc program reads it as data_meta, the
 * way a user's XDP + tc pair hands information from one to the other.
 * Counts, over this subtest's tagged frames: how many it saw, how many had
 * metadata, its length (smallest and largest) and how many carried the word
 * the XDP side wrote (redirect_chain's meta_value ^ seq).
 */
#include "xdplab.bpf.h"

#include <linux/pkt_cls.h>

const volatile __u32 expected_meta = 0; /* what the XDP side wrote, before ^ seq */

__u64 tc_frames = 0;
__u64 tc_with_meta = 0;
__s32 tc_meta_len_min = -1, tc_meta_len_max = -1;
__u64 tc_meta_word_matches = 0;

SEC("tc")
int tc_meta(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	void *meta = (void *)(long)skb->data_meta;
	struct xdplab_tag *tag = harness_tag_in(data, data_end);
	__s32 len = 0;
	int first;

	if (!tag)
		return TC_ACT_OK;

	if (meta <= data) {
		len = (long)data - (long)meta;
		if (meta + sizeof(__u32) <= data) {
			__sync_fetch_and_add(&tc_with_meta, 1);
			if (*(__u32 *)meta == (expected_meta ^ bpf_ntohl(tag->seq)))
				__sync_fetch_and_add(&tc_meta_word_matches, 1);
		}
	}
	/* One sender, one frame after another: plain min/max suffice. */
	first = tc_frames == 0;
	__sync_fetch_and_add(&tc_frames, 1);
	if (first || len < tc_meta_len_min)
		tc_meta_len_min = len;
	if (first || len > tc_meta_len_max)
		tc_meta_len_max = len;
	return TC_ACT_OK;
}
