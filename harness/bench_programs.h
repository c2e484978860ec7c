// The program families a bench plan needs, loaded for one subtest: the
// redirect chain (always), the devmap entry program (only when an entry
// carries it) and the receiving-peer program. The chain's devmaps get 8-byte
// values (struct bpf_devmap_val) only when an entry carries a program, so a
// plan without entry programs also attaches in generic mode before 5.15.
#pragma once
#include "event_stream.h"
#include "plan.h"

#include <memory>
#include <string>

struct redirect_chain;
struct devmap_prog;
struct peer;

namespace xdplab {

template <class Skel> class BpfObject;

bool uses_entry_prog(const BenchPlan &plan);

struct ProgIds {
	unsigned ingress = 0, entry = 0, peer = 0;
};

class BenchPrograms {
public:
	// `plan` with keys already resolved to numbers.
	BenchPrograms(const BenchPlan &plan, const xdplab_ident &ident, EventStream &events);
	~BenchPrograms();
	BenchPrograms(const BenchPrograms &) = delete;
	BenchPrograms &operator=(const BenchPrograms &) = delete;

	ProgIds ids() const;
	int ingress_fd() const;
	int peer_fd() const;
	int entry_fd() const; // -1 when the plan has no entry program
	int devmap_fd(Devmap d) const;
	unsigned devmap_id(Devmap d) const;
	bool devmap_values_carry_programs() const { return value8_; }

	// The kernel resolves an entry's ifindex in the caller's network
	// namespace, so the update is made from inside `ns`, the target's.
	// Returns -errno.
	int try_set_entry(const std::string &ns, Devmap map, uint32_t key, int ifindex, bool with_entry_prog);
	void set_entry(const std::string &ns, const DevmapEntry &e, int ifindex); // throws
	unsigned long long ringbuf_drops() const;

private:
	std::unique_ptr<BpfObject<redirect_chain>> chain_;
	std::unique_ptr<BpfObject<devmap_prog>> entry_;
	std::unique_ptr<BpfObject<peer>> peer_;
	bool value8_ = false;
};

} // namespace xdplab
