// Names of everything a run creates. One place, so that teardown and the
// leftover sweep agree on what belongs to the harness.
#pragma once
#include <functional>
#include <optional>
#include <string>

namespace xdplab {

// A run id is 6 lowercase hex digits, random per run.
std::string new_run_id();
bool is_run_id(const std::string &s);

// Namespaces: "xdplab-<run>-<role>".
std::string netns_name(const std::string &run_id, const std::string &role);
// Links: "xl<run>-<role>", role at most 6 characters (IFNAMSIZ is 16 with the NUL).
std::string link_name(const std::string &run_id, const std::string &role);
// tracefs instance: "xdplab-<run>".
std::string trace_instance_name(const std::string &run_id);

// bpffs pins: the directory "xdplab-<run>" under pin_root(), which is
// /sys/fs/bpf or $XDPLAB_PIN_ROOT (tests). Everything a run pins lives in it.
std::string pin_root();
std::string pin_dir_name(const std::string &run_id);
// The run id inside a harness-made name, if the name is one.
std::optional<std::string> run_id_of_netns(const std::string &name);
std::optional<std::string> run_id_of_link(const std::string &name);
std::optional<std::string> run_id_of_trace_instance(const std::string &name);
std::optional<std::string> run_id_of_pin_dir(const std::string &name);

// The low 11 bits of a run id. Per-run numbers that must not collide between
// runs sharing the host (ifindexes) are derived from it.
unsigned run_slot(const std::string &run_id);
constexpr unsigned kRunSlots = 0x800; // 11 bits: 2048 runs at once

} // namespace xdplab
