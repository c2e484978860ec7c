#include "probe.h"

#include "../case/case_object.h"
#include "../../netns/command.h"
#include "../libbpf_log.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <future>
#include <vector>

namespace xdplab {

// BPF_F_XDP_HAS_FRAGS (SEC("xdp.frags"), c2f2cdbeffda, 5.18): a kernel
// that does not know the flag refuses the load with -EINVAL. The smallest
// program: return XDP_PASS.
bool xdp_frags()
{
	const bpf_insn pass[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .src_reg = 0, .off = 0, .imm = XDP_PASS},
		{.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
	};
	LibbpfLogCapture quiet;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_flags = BPF_F_XDP_HAS_FRAGS);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "xdplab_probe", "GPL", pass, 2, &opts);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

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
// Whether a generic-mode XDP program that references a devmap with 8-byte
// values (entry programs) can be attached: refused before 5.15 (2ea5eabaf04a;
// kernel-history row 5). Tried with the redirect chain on lo of a private
// namespace, exactly as the subtests that need it would attach it.
bool generic_devmap_prog()
{
	auto bytes = builtin_object_bytes("redirect_chain.bpf.o");
	if (!bytes)
		return false;
	LibbpfLogCapture quiet;
	return std::async(std::launch::async, [&] {
		       if (unshare(CLONE_NEWNET) != 0) // this thread only; it ends here
			       return false;
		       std::vector<uint8_t> image(static_cast<const uint8_t *>(bytes->first),
						  static_cast<const uint8_t *>(bytes->first) + bytes->second);
		       LibbpfLogCapture thread_quiet;
		       bpf_object *obj = bpf_object__open_mem(image.data(), image.size(), nullptr);
		       if (!obj)
			       return false;
		       bool ok = false;
		       if (bpf_object__load(obj) == 0) {
			       bpf_program *p = bpf_object__find_program_by_name(obj, "xdp_ingress");
			       ok = p && bpf_xdp_attach(1, bpf_program__fd(p), XDP_FLAGS_SKB_MODE, nullptr) == 0;
			       if (ok)
				       bpf_xdp_detach(1, XDP_FLAGS_SKB_MODE, nullptr);
		       }
		       bpf_object__close(obj);
		       return ok;
	       }).get();
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
	c["generic_devmap_prog"] = generic_devmap_prog();
	c["xdp_frags"] = xdp_frags();
	return c;
}

} // namespace xdplab
