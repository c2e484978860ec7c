// The XDP features a device advertises (kernel 6.3 and later): whether it can
// run programs natively ("basic"), redirect, be a redirect target
// ("ndo-xmit"), and so on. A veth is a redirect target only while its peer
// has an XDP program or GRO on, which is why experiments record this.
//
// Bookworm's libbpf 1.1 cannot ask for them (bpf_xdp_query_opts has no
// feature_flags yet), so this is a small generic netlink client of the
// kernel's "netdev" family.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

// Names of the NETDEV_XDP_ACT_* bits set in MASK, in the kernel's order
// ("basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg",
// "ndo-xmit-sg"); a bit newer than this list shows as "bit<N>".
std::vector<std::string> xdp_feature_names(uint64_t mask);

// One generic netlink reply, as far as this client needs it.
struct GenlReply {
	int error = 0;        // positive errno of an NLMSG_ERROR, 0 if none
	std::string message;  // the kernel's extack text, if it sent one
	std::map<uint16_t, std::vector<uint8_t>> attrs; // top-level attributes of the reply
};

// Parses a datagram received for request SEQ (messages of other sequence
// numbers are skipped). Throws std::runtime_error on malformed input or when
// no message answers SEQ.
GenlReply parse_genl_reply(const uint8_t *buf, size_t len, uint32_t seq);

// NETDEV_A_DEV_XDP_FEATURES of a NETDEV_CMD_DEV_GET reply; nullopt if absent.
std::optional<uint64_t> xdp_features_of(const GenlReply &reply);

// The device's feature bitmask, asked inside NETNS ("" = the current one).
// nullopt when the kernel has no "netdev" family (before 6.3); throws on any
// other failure (no such device, netlink errors).
std::optional<uint64_t> xdp_features_mask(const std::string &netns, int ifindex);
// The same, as names (see xdp_feature_names).
std::optional<std::vector<std::string>> xdp_features(const std::string &netns, int ifindex);

} // namespace xdplab
