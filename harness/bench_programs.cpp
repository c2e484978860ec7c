#include "bench_programs.h"

#include "../netns/netns_scope.h"
#include "bpf_object.h"

#include <bpf/bpf.h>

#include "devmap_prog.skel.h"
#include "peer.skel.h"
#include "redirect_chain.skel.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace xdplab {

bool uses_entry_prog(const BenchPlan &plan)
{
	for (const auto &e : plan.entries)
		if (e.entry_prog)
			return true;
	return false;
}

BenchPrograms::BenchPrograms(const BenchPlan &plan, const xdplab_ident &ident, EventStream &events)
	: value8_(uses_entry_prog(plan))
{
	if (plan.calls.size() > 2)
		throw std::invalid_argument("the redirect chain makes at most two bpf_redirect_map calls");
	chain_ = std::make_unique<BpfObject<redirect_chain>>("redirect_chain", events, ident, [&](redirect_chain &s) {
		auto &c = s.rodata->chain;
		c.calls = static_cast<__u32>(plan.calls.size());
		for (size_t i = 0; i < plan.calls.size(); ++i) {
			c.map[i] = plan.calls[i].map == Devmap::Hash    ? XDPLAB_DEVMAP_HASH
				   : plan.calls[i].map == Devmap::Group ? XDPLAB_DEVMAP_GROUP
									: XDPLAB_DEVMAP_ARRAY;
			c.key[i] = plan.calls[i].key.value;
			c.flags[i] = plan.calls[i].flags;
		}
		c.return_policy = plan.ret == Return::Redirect ? XDPLAB_RETURN_REDIRECT_ALWAYS
				  : plan.ret == Return::Fixed  ? XDPLAB_RETURN_FIXED
							       : XDPLAB_RETURN_LAST_HELPER_VALUE;
		c.fixed_action = plan.fixed_action;
		c.write_meta = plan.meta_value.has_value();
		c.meta_value = plan.meta_value.value_or(0);
		if (!value8_) {
			bpf_map__set_value_size(s.maps.tx_array, sizeof(__u32));
			bpf_map__set_value_size(s.maps.tx_hash, sizeof(__u32));
			bpf_map__set_value_size(s.maps.tx_group, sizeof(__u32));
		}
	});
	if (value8_)
		entry_ = std::make_unique<BpfObject<devmap_prog>>("devmap_prog", events, ident, [&](devmap_prog &s) {
			s.rodata->entry.verdict = plan.entry_verdict;
		});
	peer_ = std::make_unique<BpfObject<peer>>("peer", events, ident, [](peer &) {});
}

BenchPrograms::~BenchPrograms() = default;

ProgIds BenchPrograms::ids() const
{
	return {prog_id_of(ingress_fd()), entry_ ? prog_id_of(entry_fd()) : 0u, prog_id_of(peer_fd())};
}

int BenchPrograms::ingress_fd() const { return bpf_program__fd((*chain_)->progs.xdp_ingress); }
int BenchPrograms::peer_fd() const { return bpf_program__fd((*peer_)->progs.xdp_peer); }
int BenchPrograms::entry_fd() const { return entry_ ? bpf_program__fd((*entry_)->progs.xdp_egress) : -1; }

int BenchPrograms::devmap_fd(Devmap d) const
{
	switch (d) {
	case Devmap::Hash: return bpf_map__fd((*chain_)->maps.tx_hash);
	case Devmap::Group: return bpf_map__fd((*chain_)->maps.tx_group);
	case Devmap::Array: break;
	}
	return bpf_map__fd((*chain_)->maps.tx_array);
}

unsigned BenchPrograms::devmap_id(Devmap d) const
{
	return map_id_of(devmap_fd(d));
}

int BenchPrograms::try_set_entry(const std::string &ns, Devmap map, uint32_t key, int ifindex, bool with_entry_prog)
{
	NetnsScope scope(ns);
	int err;
	if (value8_) {
		bpf_devmap_val val{};
		val.ifindex = static_cast<__u32>(ifindex);
		val.bpf_prog.fd = with_entry_prog ? entry_fd() : 0;
		err = bpf_map_update_elem(devmap_fd(map), &key, &val, BPF_ANY);
	} else {
		if (with_entry_prog)
			return -EINVAL; // a 4-byte devmap value cannot name a program
		__u32 val = static_cast<__u32>(ifindex);
		err = bpf_map_update_elem(devmap_fd(map), &key, &val, BPF_ANY);
	}
	return err ? -errno : 0;
}

void BenchPrograms::set_entry(const std::string &ns, const DevmapEntry &e, int ifindex)
{
	int err = try_set_entry(ns, e.map, e.key.value, ifindex, e.entry_prog);
	if (err)
		throw std::runtime_error("devmap update " + to_string(e.map) + "[" + std::to_string(e.key.value) +
					 "] -> " + e.target + ": " + strerror(-err));
}

unsigned long long BenchPrograms::ringbuf_drops() const
{
	return chain_->ringbuf_drops() + (entry_ ? entry_->ringbuf_drops() : 0) + peer_->ringbuf_drops();
}

} // namespace xdplab
