// `ethtool -S DEV` inside a namespace: the driver's own counters by name
// (a veth has per-queue XDP counters: rx_queue_0_xdp_packets, _xdp_drops,
// _xdp_tx, _xdp_redirect, ... and the peer's xdp_tx_xmit / xdp_tx_errors).
// Asked with the SIOCETHTOOL ioctl, as ethtool does: no process per read,
// which in a TCG guest costs more than the read.
#pragma once
#include <map>
#include <string>

namespace xdplab {

// Empty when the driver has no such counters (EOPNOTSUPP); throws on other failures.
std::map<std::string, unsigned long long> ethtool_counters(const std::string &ns, const std::string &dev);

} // namespace xdplab
