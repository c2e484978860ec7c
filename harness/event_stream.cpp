#include "event_stream.h"

#include "bpf_object.h"
#include "libbpf_log.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace xdplab {

unsigned prog_id_of(int prog_fd)
{
	bpf_prog_info info{};
	__u32 len = sizeof(info);
	return bpf_obj_get_info_by_fd(prog_fd, &info, &len) == 0 ? info.id : 0;
}

unsigned map_id_of(int map_fd)
{
	bpf_map_info info{};
	__u32 len = sizeof(info);
	return bpf_obj_get_info_by_fd(map_fd, &info, &len) == 0 ? info.id : 0;
}

EventStream::EventStream()
{
	LibbpfLogCapture log;
	map_fd_ = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, 1 << 20, nullptr);
	if (map_fd_ < 0)
		throw std::runtime_error(std::string("cannot create the events ring buffer: ") + strerror(errno));
	rb_ = ring_buffer__new(map_fd_, &EventStream::on_event, this, nullptr);
	if (!rb_) {
		close(map_fd_);
		throw std::runtime_error("cannot open the events ring buffer: " + log.text());
	}
}

EventStream::~EventStream()
{
	if (rb_)
		ring_buffer__free(rb_);
	if (map_fd_ >= 0)
		close(map_fd_);
}

int EventStream::on_event(void *ctx, void *data, size_t size)
{
	auto *self = static_cast<EventStream *>(ctx);
	if (size >= sizeof(xdplab_event)) {
		xdplab_event ev;
		std::memcpy(&ev, data, sizeof(ev));
		self->pending_.push_back(ev);
	}
	return 0;
}

std::vector<xdplab_event> EventStream::drain()
{
	ring_buffer__consume(rb_);
	std::vector<xdplab_event> out;
	out.swap(pending_);
	return out;
}

} // namespace xdplab
