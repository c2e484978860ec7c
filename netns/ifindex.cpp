#include "ifindex.h"

#include <stdexcept>
#include <string>

namespace xdplab {

namespace {
constexpr unsigned kCaseShift = kLinkBits;
constexpr unsigned kSlotShift = kLinkBits + kCaseIdBits;
constexpr uint32_t kMaxSlot = (1u << kRunSlotBits) - 1;

static_assert(kSlotShift + kRunSlotBits == 28, "the fields fill exactly the 28 bits above the base");
static_assert(static_cast<uint32_t>(kHarnessIfindexBase) + (1u << 28) - 1 < 0x7fffffffu,
	      "every harness ifindex is a positive int");
} // namespace

uint32_t run_slot(uint32_t run_tag)
{
	return run_tag & kMaxSlot;
}

int harness_ifindex(uint32_t run_slot, uint32_t case_id, unsigned k)
{
	if (run_slot > kMaxSlot)
		throw std::out_of_range("run slot " + std::to_string(run_slot) + " is not below 2048");
	if (case_id < 1 || case_id > kMaxCaseId)
		throw std::out_of_range("case id " + std::to_string(case_id) + " is not in 1..4095");
	if (k >= kMaxLinksPerCase)
		throw std::out_of_range("link number " + std::to_string(k) + " is not below 32");
	return kHarnessIfindexBase +
	       static_cast<int>((run_slot << kSlotShift) | (case_id << kCaseShift) | k);
}

std::optional<std::tuple<uint32_t, uint32_t, unsigned>> decode_harness_ifindex(int ifindex)
{
	if (ifindex < kHarnessIfindexBase || ifindex - kHarnessIfindexBase >= (1 << 28))
		return std::nullopt;
	uint32_t v = static_cast<uint32_t>(ifindex - kHarnessIfindexBase);
	uint32_t case_id = (v >> kCaseShift) & kMaxCaseId;
	// Case 0 is never handed out: an index there was not made by harness_ifindex().
	if (case_id == 0)
		return std::nullopt;
	return std::make_tuple(v >> kSlotShift, case_id, static_cast<unsigned>(v & (kMaxLinksPerCase - 1)));
}

bool is_harness_ifindex(int ifindex)
{
	return decode_harness_ifindex(ifindex).has_value();
}

} // namespace xdplab
