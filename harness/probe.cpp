#include "probe.h"

#include "command.h"
#include "libbpf_log.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace xdplab {

namespace {
bool can_create_map(bpf_map_type type, __u32 key_size, __u32 value_size, __u32 max_entries)
{
	LibbpfLogCapture quiet;
	int fd = bpf_map_create(type, "xdplab_probe", key_size, value_size, max_entries, nullptr);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
// /sys/fs/bpf exists on every kernel with BPF; whether bpffs is mounted there
// is what pins need (run.sh and the guest's init mount it).
bool bpffs_mounted()
{
	struct statfs st {};
	return statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC;
}
} // namespace

Capabilities probe_capabilities(const std::string &tracefs_root)
{
	Capabilities c;
	c["btf"] = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	c["ringbuf"] = can_create_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
	c["devmap_hash"] = can_create_map(BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 1);
	c["devmap_prog"] = can_create_map(BPF_MAP_TYPE_DEVMAP, 4, 8, 1);
	c["bpf_printk_event"] =
		!tracefs_root.empty() && access((tracefs_root + "/events/bpf_trace/bpf_trace_printk").c_str(), F_OK) == 0;
	c["bpftool"] = !bpftool_path().empty();
	c["ping"] = !find_tool("ping").empty();
	c["bpffs"] = bpffs_mounted();
	return c;
}

} // namespace xdplab
