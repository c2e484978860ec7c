#include "staged_programs.h"

#include "../netns/netns_scope.h"
#include "libbpf_log.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "staged.skel.h"

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

StagedPrograms::StagedPrograms(const xdplab_config &cfg)
{
	LibbpfLogCapture log;
	skel_ = staged::open();
	if (!skel_)
		throw std::runtime_error("cannot open the staged BPF object: " + log.text());
	skel_->rodata->cfg = cfg;
	int err = staged::load(skel_);
	if (err) {
		std::string msg = log.text();
		staged::destroy(skel_);
		skel_ = nullptr;
		throw std::runtime_error("cannot load the staged BPF programs (" + std::string(strerror(-err)) +
					 "): " + msg);
	}
	rb_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), &StagedPrograms::on_event, this, nullptr);
	if (!rb_) {
		staged::destroy(skel_);
		skel_ = nullptr;
		throw std::runtime_error("cannot open the ring buffer: " + log.text());
	}
}

StagedPrograms::~StagedPrograms()
{
	if (rb_)
		ring_buffer__free(rb_);
	if (skel_)
		staged::destroy(skel_);
}

int StagedPrograms::ingress_fd() const { return bpf_program__fd(skel_->progs.xdp_ingress); }
int StagedPrograms::egress_fd() const { return bpf_program__fd(skel_->progs.xdp_egress); }
int StagedPrograms::peer_fd() const { return bpf_program__fd(skel_->progs.xdp_peer); }
unsigned StagedPrograms::ingress_id() const { return prog_id_of(ingress_fd()); }
unsigned StagedPrograms::egress_id() const { return prog_id_of(egress_fd()); }
unsigned StagedPrograms::peer_id() const { return prog_id_of(peer_fd()); }

int StagedPrograms::devmap_fd(bool hash_map) const
{
	return bpf_map__fd(hash_map ? skel_->maps.tx_hash : skel_->maps.tx_array);
}

unsigned StagedPrograms::devmap_id(bool hash_map) const
{
	return map_id_of(devmap_fd(hash_map));
}

int StagedPrograms::set_devmap_entry(const std::string &ns, bool hash_map, __u32 key, int ifindex,
				     bool with_egress_prog)
{
	NetnsScope scope(ns);
	bpf_devmap_val val{};
	val.ifindex = static_cast<__u32>(ifindex);
	val.bpf_prog.fd = with_egress_prog ? egress_fd() : 0;
	int err = bpf_map_update_elem(devmap_fd(hash_map), &key, &val, BPF_ANY);
	return err ? -errno : 0;
}

int StagedPrograms::on_event(void *ctx, void *data, size_t size)
{
	auto *self = static_cast<StagedPrograms *>(ctx);
	if (size >= sizeof(xdplab_event)) {
		xdplab_event ev;
		std::memcpy(&ev, data, sizeof(ev));
		self->pending_.push_back(ev);
	}
	return 0;
}

std::vector<xdplab_event> StagedPrograms::drain_events()
{
	ring_buffer__consume(rb_);
	std::vector<xdplab_event> out;
	out.swap(pending_);
	return out;
}

__u64 StagedPrograms::ringbuf_drops() const
{
	return skel_->bss->ringbuf_drops;
}

} // namespace xdplab
