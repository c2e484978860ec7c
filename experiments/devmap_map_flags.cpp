// devmap-map-flags
//
// Claim (seed 002, the DEVMAP_HASH reference page): BPF_F_RDONLY "will make it
// so the map can only be read via the syscall interface, but not written to";
// BPF_F_WRONLY the reverse; with BPF_F_NUMA_NODE "the numa_node attribute is
// respected during map creation". Code (kernel/bpf/syscall.c, every kernel
// here): the two flags only set the mode of the file descriptor map_create()
// returns; lookups and updates through it need FMODE_CAN_READ / _WRITE, else
// -EPERM, but an fd got again with BPF_MAP_GET_FD_BY_ID is read-write, and
// bpf_map_flags_retain_permanent() drops the flags from the map's info. A numa
// node that is not online is -EINVAL, but only with BPF_F_NUMA_NODE set.
//
// Observations: errno per call through the creating fd (0 or the errno's
// name) and through the fd by id; whether the map's info keeps the flag.
#include "harness/experiment.h"
#include "../harness/engine/lab.h"
#include "harness/observe.h"

#include <bpf/bpf.h>

#include <fstream>

namespace xdplab {

struct MapFlagsParams {
	__u32 flag;
};

class DevmapMapFlags : public DeclaredExperiment<MapFlagsParams> {
public:
	DevmapMapFlags()
		: DeclaredExperiment("devmap-map-flags",
				     {{"rdonly", {BPF_F_RDONLY}}, {"wronly", {BPF_F_WRONLY}}, {"numa_node", {BPF_F_NUMA_NODE}}},
				     {"create_errno", "update_errno", "lookup_errno", "next_key_errno", "delete_errno",
				      "fd_by_id", "map_info_has_flag"})
	{
	}

	Plan plan(const MapFlagsParams &p) const override
	{
		return ProcedurePlan{.network = true, .run = [p](Lab &lab) { run(lab, p.flag); }};
	}

private:
	// One past the highest possible node ("0" or "0-3" in sysfs): at least nr_node_ids.
	static int missing_numa_node()
	{
		std::string text;
		std::ifstream("/sys/devices/system/node/possible") >> text;
		size_t last = text.find_last_of(",-");
		return text.empty() ? 1 : std::atoi(text.substr(last == std::string::npos ? 0 : last + 1).c_str()) + 1;
	}

	static void run(Lab &lab, __u32 flag)
	{
		const __u32 o0 = lab.ifindex("o0");
		auto create = [&](const std::string &what, __u32 flags, __u32 node) {
			return lab.create("a DEVMAP, key 4, value 4, 4 entries, " + what, [&] {
				LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags, .numa_node = node);
				return bpf_map_create(BPF_MAP_TYPE_DEVMAP, "xdplab_mflags", 4, 4, 4, &opts);
			});
		};
		int map = create("created with the subtest's flag (numa node 0)", flag, 0);
		if (flag == BPF_F_NUMA_NODE) {
			int node = missing_numa_node();
			lab.observe("create_errno",
				    {{"node_0", errno_of(map)},
				     {"missing_node", errno_of(create("on a node that does not exist", BPF_F_NUMA_NODE, node))},
				     {"missing_node_without_flag", errno_of(create("that node without the flag", 0, node))}});
		} else {
			lab.observe("create_errno", errno_of(map));
		}
		bpf_map_info info{};
		__u32 len = sizeof(info);
		lab.must("the map's info (BPF_OBJ_GET_INFO_BY_FD)", [&] { return bpf_obj_get_info_by_fd(map, &info, &len); });
		lab.observe("map_info_has_flag", (info.map_flags & flag) != 0);
		int by_id = lab.create("fd2: the same map, by its id", [&] { return bpf_map_get_fd_by_id(info.id); });

		const uint32_t key = 0;
		__u32 value = 0, got = 0, next = 0;
		auto update = [&](int fd) { return bpf_map_update_elem(fd, &key, &o0, BPF_ANY); };
		json second;
		// The read-only map gets its entry through fd2 first: the lookup then has something to read.
		if (flag == BPF_F_RDONLY)
			second["update"] = lab.step("fd2: key 0 = o0", [&] { return update(by_id); });
		lab.observe("update_errno", lab.step("fd: key 0 = o0", [&] { return update(map); }));
		if (flag != BPF_F_RDONLY)
			second["update"] = lab.step("fd2: key 0 = o0", [&] { return update(by_id); });
		lab.observe("lookup_errno", lab.step("fd: look key 0 up", [&] { return bpf_map_lookup_elem(map, &key, &value); }));
		lab.observe("next_key_errno", lab.step("fd: first key", [&] { return bpf_map_get_next_key(map, nullptr, &next); }));
		second["lookup"] = lab.step("fd2: look key 0 up", [&] { return bpf_map_lookup_elem(by_id, &key, &got); });
		second["lookup_is_target"] = got == o0;
		lab.observe("fd_by_id", second);
		lab.observe("delete_errno", lab.step("fd: delete key 0", [&] { return bpf_map_delete_elem(map, &key); }));
		lab.note("map_info_flags", info.map_flags);
	}
};

XDPLAB_EXPERIMENT(DevmapMapFlags);

} // namespace xdplab
