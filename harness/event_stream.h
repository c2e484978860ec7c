// The ring buffer of one subtest: created by the harness and handed to every
// BPF object loaded for that subtest, so the events of all its stages arrive
// in one stream, in the order they were reserved.
#pragma once
#include <linux/types.h>
extern "C" {
#include "../bpf/xdplab_event.h"
}

#include <cstddef>
#include <vector>

struct ring_buffer;

namespace xdplab {

class EventStream {
public:
	EventStream(); // throws when the kernel has no BPF ring buffer (5.8+)
	~EventStream();
	EventStream(const EventStream &) = delete;
	EventStream &operator=(const EventStream &) = delete;

	int map_fd() const { return map_fd_; }
	// Events the ring buffer holds now (non-blocking).
	std::vector<xdplab_event> drain();

private:
	static int on_event(void *ctx, void *data, size_t size);
	int map_fd_ = -1;
	ring_buffer *rb_ = nullptr;
	std::vector<xdplab_event> pending_;
};

} // namespace xdplab
