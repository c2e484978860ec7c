// devmap-map-flags
//
// Claim (seed 002, the DEVMAP_HASH reference page): BPF_F_RDONLY "will make it
// so the map can only be read via the syscall interface, but not written to";
// BPF_F_WRONLY the reverse; with BPF_F_NUMA_NODE "the numa_node attribute is
// respected during map creation". Code (kernel/bpf/syscall.c, every kernel
// here): the two flags only set the mode of the file descriptor map_create()
// returns (bpf_get_file_flag()); map_lookup_elem() / map_get_next_key() need
// FMODE_CAN_READ and map_update_elem() / map_delete_elem() FMODE_CAN_WRITE
// (map_get_sys_perms()), else -EPERM. The map itself is not restricted: an fd
// got again with BPF_MAP_GET_FD_BY_ID (open_flags 0) is read-write. A numa
// node that is not online, or >= nr_node_ids, is -EINVAL, but only with
// BPF_F_NUMA_NODE set (bpf_map_attr_numa_node()). devmap.c's
// dev_map_alloc_check() (dev_map_init_map() before 6.2) lets all three flags
// through (DEV_CREATE_FLAG_MASK). bpf_map_init_from_attr() drops RDONLY and
// WRONLY from the map's own flags (bpf_map_flags_retain_permanent()): they
// belong to the fd.
//
// Topology: one namespace "dut" with a veth pair o0 <-> r0 (entries need a
// real device, resolved in the caller's namespace: updates are made in "dut").
//
// Procedure: a 4-entry DEVMAP with 4-byte values, created with the subtest's
// flag (numa_node: node 0; then a node past the last possible one, with and
// without the flag). Through the fd create returned: update of key 0 = o0,
// lookup, get_next_key, delete. Through an fd from bpf_map_get_fd_by_id():
// update and lookup. On the RDONLY map the key is first written through the
// second fd, so that the lookup has something to read.
//
// Observations: errno per call (0 or the errno's name); whether the map's
// info (BPF_OBJ_GET_INFO_BY_FD) still shows the flag it was created with.
//
// Expectation: experiments/devmap-map-flags.json.
#include "harness/observe.h"
#include "harness/experiment.h"
#include "netns/netns_scope.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace xdplab {

namespace {

constexpr uint32_t max_entries = 4;

// One past the highest possible node ("0" or "0-3" in sysfs), so it is at
// least nr_node_ids; 1 when the kernel has no NUMA support or sysfs says
// nothing (nr_node_ids is then 1).
int missing_numa_node()
{
	std::ifstream in("/sys/devices/system/node/possible");
	std::string text;
	if (!(in >> text) || text.empty())
		return 1;
	size_t last = text.find_last_of(",-");
	try {
		return std::stoi(last == std::string::npos ? text : text.substr(last + 1)) + 1;
	} catch (const std::exception &) {
		return 1;
	}
}

int create(__u32 map_flags, __u32 numa_node)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = map_flags, .numa_node = numa_node);
	return bpf_map_create(BPF_MAP_TYPE_DEVMAP, "xdplab_mflags", sizeof(__u32), sizeof(__u32), max_entries, &opts);
}

} // namespace

enum class MapFlag { Rdonly, Wronly, NumaNode };

struct MapFlagsParams {
	MapFlag flag;
};

class DevmapMapFlags : public DeclaredExperiment<MapFlagsParams> {
public:
	DevmapMapFlags()
		: DeclaredExperiment("devmap-map-flags",
				     {{"rdonly", {.flag = MapFlag::Rdonly}},
				      {"wronly", {.flag = MapFlag::Wronly}},
				      {"numa_node", {.flag = MapFlag::NumaNode}}},
				     {"create_errno", "update_errno", "lookup_errno", "next_key_errno", "delete_errno",
				      "fd_by_id", "map_info_has_flag"})
	{
	}

	Plan plan(const MapFlagsParams &p) const override
	{
		const char *flag = p.flag == MapFlag::Rdonly   ? "BPF_F_RDONLY"
				   : p.flag == MapFlag::Wronly ? "BPF_F_WRONLY"
							       : "BPF_F_NUMA_NODE, numa_node 0";
		ProcedurePlan plan;
		plan.namespaces = {"dut"};
		plan.veths = {{"dut", "o0", "dut", "r0"}};
		plan.steps = {std::string("# in <dut>: fd = bpf_map_create(DEVMAP, key 4, value 4, max_entries 4, ") +
				      flag + "); fd2 = bpf_map_get_fd_by_id(id of the map)",
			      "# through fd: update key 0 = ifindex of o0, lookup key 0, get_next_key, delete key 0",
			      "# through fd2: update key 0 = ifindex of o0, lookup key 0"};
		if (p.flag == MapFlag::NumaNode)
			plan.steps.push_back("# bpf_map_create(... BPF_F_NUMA_NODE, numa_node = last possible node + "
					     "1), and the same numa_node without BPF_F_NUMA_NODE");
		plan.run = [p](ProcedureContext &ctx) { return measure(p, ctx); };
		return plan;
	}

private:
	static Measurement measure(const MapFlagsParams &p, ProcedureContext &ctx)
	{
		auto t0 = std::chrono::steady_clock::now();
		NetnsScope scope(ctx.netns("dut"));
		const __u32 ifindex = static_cast<__u32>(ctx.ifindex("o0"));
		Measurement m;

		__u32 flags = p.flag == MapFlag::Rdonly ? BPF_F_RDONLY
			      : p.flag == MapFlag::Wronly ? BPF_F_WRONLY
							  : BPF_F_NUMA_NODE;
		OwnedFd map(create(flags, 0));
		int missing_node = missing_numa_node();
		if (p.flag == MapFlag::NumaNode) {
			OwnedFd missing(create(BPF_F_NUMA_NODE, missing_node));
			OwnedFd ignored(create(0, missing_node));
			m.observations["create_errno"] = {{"node_0", errno_of(map.get())},
							  {"missing_node", errno_of(missing.get())},
							  {"missing_node_without_flag", errno_of(ignored.get())}};
		} else {
			m.observations["create_errno"] = errno_of(map.get());
		}
		if (map.get() < 0)
			throw std::runtime_error(std::string("bpf_map_create: ") + strerror(-map.get()));

		bpf_map_info info{};
		__u32 len = sizeof(info);
		int err = bpf_obj_get_info_by_fd(map.get(), &info, &len);
		if (err)
			throw std::runtime_error(std::string("bpf_obj_get_info_by_fd: ") + strerror(-err));
		m.observations["map_info_has_flag"] = (info.map_flags & flags) != 0;
		OwnedFd second(bpf_map_get_fd_by_id(info.id));
		if (second.get() < 0)
			throw std::runtime_error(std::string("bpf_map_get_fd_by_id: ") + strerror(-second.get()));

		const uint32_t key = 0;
		__u32 value = 0, next = 0;
		json by_id = json::object();
		// The read-only map gets its entry through the second fd first,
		// so that the lookup through the first has something to read.
		if (p.flag == MapFlag::Rdonly)
			by_id["update"] = errno_of(bpf_map_update_elem(second.get(), &key, &ifindex, BPF_ANY));
		m.observations["update_errno"] = errno_of(bpf_map_update_elem(map.get(), &key, &ifindex, BPF_ANY));
		if (p.flag != MapFlag::Rdonly)
			by_id["update"] = errno_of(bpf_map_update_elem(second.get(), &key, &ifindex, BPF_ANY));
		int looked = bpf_map_lookup_elem(map.get(), &key, &value);
		m.observations["lookup_errno"] = errno_of(looked);
		m.observations["next_key_errno"] = errno_of(bpf_map_get_next_key(map.get(), nullptr, &next));
		__u32 value2 = 0;
		by_id["lookup"] = errno_of(bpf_map_lookup_elem(second.get(), &key, &value2));
		by_id["lookup_is_target"] = value2 == ifindex;
		m.observations["fd_by_id"] = by_id;
		m.observations["delete_errno"] = errno_of(bpf_map_delete_elem(map.get(), &key));

		auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
		m.evidence = {{"ifindex", ifindex},
			      {"map_flags", flags},
			      {"map_id", info.id},
			      {"map_info_flags", info.map_flags},
			      {"lookup_value", looked ? json(nullptr) : json(value)},
			      {"missing_numa_node", missing_node},
			      {"procedure_us", us.count()}};
		return m;
	}
};

XDPLAB_EXPERIMENT(DevmapMapFlags);

} // namespace xdplab
