// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What a BPF program may do with a DEVMAP / DEVMAP_HASH (catalog B): look an
 * entry up and read it (5.3+), but not update, delete or write through the
 * looked-up value; and what a plain XDP program may not read (egress_ifindex).
 *
 * Several of these programs are meant to be refused by the verifier, so the
 * harness loads exactly one program per object (the others get autoload
 * off): one refusal must not hide the fate of another program.
 *
 * Maps use key_size/value_size rather than BTF types so that the value sizes
 * (4: a plain ifindex, 8: struct bpf_devmap_val) are exactly what is asked.
 */
#include "xdplab.bpf.h"

#define DEVMAP_OF(name, map_type, value_bytes)                    \
	struct {                                                  \
		__uint(type, map_type);                           \
		__uint(key_size, sizeof(__u32));                  \
		__uint(value_size, value_bytes);                  \
		__uint(max_entries, 8);                           \
	} name SEC(".maps")

DEVMAP_OF(dm4, BPF_MAP_TYPE_DEVMAP, sizeof(__u32));
DEVMAP_OF(dm8, BPF_MAP_TYPE_DEVMAP, sizeof(struct bpf_devmap_val));
DEVMAP_OF(dh4, BPF_MAP_TYPE_DEVMAP_HASH, sizeof(__u32));
DEVMAP_OF(dh8, BPF_MAP_TYPE_DEVMAP_HASH, sizeof(struct bpf_devmap_val));

/* Which pair of maps xdp_lookup reads, and with which keys (set before load). */
const volatile struct {
	__u32 use_hash;
	__u32 key;
	__u32 missing_key;
} lookup = {};

/* What xdp_lookup saw, for user space to read after BPF_PROG_TEST_RUN. */
struct {
	__u32 ran;
	__u32 found4;
	__u32 ifindex4;
	__u32 found8;
	__u32 ifindex8;
	__u32 prog_id8;
	__u32 missing_found;
} seen = {};

static __always_inline void read_entries(void *map4, void *map8)
{
	__u32 key = lookup.key, missing = lookup.missing_key;
	struct bpf_devmap_val *v8;
	__u32 *v4;

	v4 = bpf_map_lookup_elem(map4, &key);
	if (v4) {
		seen.found4 = 1;
		seen.ifindex4 = *v4;
	}
	v8 = bpf_map_lookup_elem(map8, &key);
	if (v8) {
		seen.found8 = 1;
		seen.ifindex8 = v8->ifindex;
		seen.prog_id8 = v8->bpf_prog.id;
	}
	seen.missing_found = bpf_map_lookup_elem(map8, &missing) != NULL;
}

SEC("xdp")
int xdp_lookup(struct xdp_md *ctx)
{
	seen.ran = 1;
	if (lookup.use_hash)
		read_entries(&dh4, &dh8);
	else
		read_entries(&dm4, &dm8);
	return XDP_PASS;
}

/* Refused: the lookup result of a devmap is read-only to programs. */
static __always_inline int write_through(void *map8)
{
	__u32 key = 0;
	struct bpf_devmap_val *v = bpf_map_lookup_elem(map8, &key);

	if (v)
		v->ifindex = 1;
	return XDP_PASS;
}

SEC("xdp")
int xdp_write_devmap(struct xdp_md *ctx)
{
	return write_through(&dm8);
}

SEC("xdp")
int xdp_write_hash(struct xdp_md *ctx)
{
	return write_through(&dh8);
}

/* Refused: devmap entries change only from user space. */
static __always_inline int update(void *map8)
{
	__u32 key = 0;
	struct bpf_devmap_val v = {.ifindex = 1};

	bpf_map_update_elem(map8, &key, &v, BPF_ANY);
	return XDP_PASS;
}

static __always_inline int delete(void *map8)
{
	__u32 key = 0;

	bpf_map_delete_elem(map8, &key);
	return XDP_PASS;
}

SEC("xdp")
int xdp_update_devmap(struct xdp_md *ctx)
{
	return update(&dm8);
}

SEC("xdp")
int xdp_update_hash(struct xdp_md *ctx)
{
	return update(&dh8);
}

SEC("xdp")
int xdp_delete_devmap(struct xdp_md *ctx)
{
	return delete(&dm8);
}

SEC("xdp")
int xdp_delete_hash(struct xdp_md *ctx)
{
	return delete(&dh8);
}

/* Refused: egress_ifindex is readable only by BPF_XDP_DEVMAP programs. */
SEC("xdp")
int xdp_plain_egress_ifindex(struct xdp_md *ctx)
{
	return ctx->egress_ifindex ? XDP_PASS : XDP_DROP;
}
