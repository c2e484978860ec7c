// The staged BPF object (bpf/staged.bpf.c) through its libbpf skeleton:
// configured in .rodata, loaded, devmap entries set, ring buffer drained.
#pragma once
#include <linux/types.h>
extern "C" {
#include "../bpf/xdplab_event.h"
}

#include <memory>
#include <string>
#include <vector>

struct staged;
struct ring_buffer;

namespace xdplab {

class StagedPrograms {
public:
	explicit StagedPrograms(const xdplab_config &cfg); // throws with libbpf's/the verifier's message
	~StagedPrograms();
	StagedPrograms(const StagedPrograms &) = delete;
	StagedPrograms &operator=(const StagedPrograms &) = delete;

	int ingress_fd() const;
	int egress_fd() const;
	int peer_fd() const;
	unsigned ingress_id() const;
	unsigned egress_id() const;
	unsigned peer_id() const;

	// tx_array / tx_hash[key] = {ifindex, egress program or none}; returns -errno.
	// The kernel resolves the ifindex in the caller's network namespace, so
	// the update is made from inside `ns`, the namespace of the target link.
	int set_devmap_entry(const std::string &ns, bool hash_map, __u32 key, int ifindex, bool with_egress_prog);
	// The map id, for bpftool and for tracepoint filtering.
	unsigned devmap_id(bool hash_map) const;
	int devmap_fd(bool hash_map) const;

	// Events the ring buffer holds now (non-blocking).
	std::vector<xdplab_event> drain_events();
	__u64 ringbuf_drops() const;

private:
	static int on_event(void *ctx, void *data, size_t size);
	staged *skel_ = nullptr;
	ring_buffer *rb_ = nullptr;
	std::vector<xdplab_event> pending_;
};

unsigned prog_id_of(int prog_fd);
unsigned map_id_of(int map_fd);

} // namespace xdplab
