// What this kernel can do, probed rather than inferred from its version
// (vendor kernels carry backports).
#pragma once
#include "../verdict.h"

#include <string>

namespace xdplab {

// Capability names used by expectation files' "requires":
//   btf                 /sys/kernel/btf/vmlinux exists
//   ringbuf             BPF_MAP_TYPE_RINGBUF can be created (5.8)
//   devmap_hash         BPF_MAP_TYPE_DEVMAP_HASH can be created (5.4)
//   devmap_prog         a DEVMAP with 8-byte values (bpf_devmap_val) can be created (5.8)
//   bpf_printk_event    the bpf_trace:bpf_trace_printk event exists (per-instance printk lines)
//   bpftool             the bpftool command is installed
//   ping                iputils ping is installed (in the guest: packed when the host has it)
//   bpffs               bpffs is mounted at /sys/fs/bpf
//   generic_devmap_prog a generic-mode program using a devmap with entry programs attaches (5.15)
//   xdp_frags           an XDP program loads with BPF_F_XDP_HAS_FRAGS (5.18)
Capabilities probe_capabilities(const std::string &tracefs_root);

} // namespace xdplab
