// Names of everything a run creates. One place, so that teardown and the
// leftover sweep agree on what belongs to the harness.
#pragma once
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

// The run id inside a harness-made name, if the name is one.
std::optional<std::string> run_id_of_netns(const std::string &name);
std::optional<std::string> run_id_of_link(const std::string &name);
std::optional<std::string> run_id_of_trace_instance(const std::string &name);

// Liveness records: /run/xdplab/<run>.pid holds the pid of the run's process.
std::string run_state_dir();
void write_run_pid(const std::string &run_id);
void remove_run_pid(const std::string &run_id);
bool run_is_alive(const std::string &run_id);

} // namespace xdplab
