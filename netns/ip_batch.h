// Lines of `ip -batch`, run by iproute2 itself: for what Topology::apply()
// does not send over rtnetlink itself (topology_apply.cpp).
#pragma once
#include <string>
#include <vector>

namespace xdplab {

// One `ip [-n NS] -force -batch -`, each line argv without "ip" and "-n NS";
// a failure throws with what iproute2 said about each failing line.
// -force: every line is tried, so every problem is reported at once, not
// only the first. ns: "" for this namespace.
void run_ip_batch(const std::string &ns, const std::vector<std::vector<std::string>> &lines);

} // namespace xdplab
