// Run-unique ifindexes. A kernel tracepoint line names a device only by its
// ifindex; fresh namespaces all hand out 2, 3, 4..., so an index chosen by the
// kernel cannot tell which subtest (or which run) a line belongs to. Links are
// therefore created with an explicit index that encodes run, subtest and link.
#pragma once
#include <cstdint>
#include <optional>
#include <tuple>

namespace xdplab {

// Layout: kHarnessIfindexBase + (slot << 17) + (case_id << 5) + k, which stays
// below 0x20000000: far above what a kernel allocates on its own, and < INT_MAX.
constexpr int kHarnessIfindexBase = 0x10000000;
constexpr unsigned kRunSlotBits = 11;
constexpr unsigned kCaseIdBits = 12;
constexpr unsigned kLinkBits = 5;
constexpr uint32_t kMaxCaseId = (1u << kCaseIdBits) - 1; // case ids are 1..4095
constexpr unsigned kMaxLinksPerCase = 1u << kLinkBits;    // k is 0..31

// The part of a 24-bit run tag that fits in an ifindex (its low 11 bits).
// Two runs share a slot with probability 1/2048; their namespaces still differ.
uint32_t run_slot(uint32_t run_tag);

// Throws std::out_of_range for a slot >= 2048, a case id outside 1..4095 or k >= 32.
int harness_ifindex(uint32_t run_slot, uint32_t case_id, unsigned k);

bool is_harness_ifindex(int ifindex);

// (slot, case id, k) of a harness ifindex; nullopt for any other index.
std::optional<std::tuple<uint32_t, uint32_t, unsigned>> decode_harness_ifindex(int ifindex);

} // namespace xdplab
