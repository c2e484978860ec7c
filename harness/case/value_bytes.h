// What encoding and decoding share: little-endian integers and BTF types
// seen through their typedefs and modifiers. Internal to value_codec*.cpp.
#pragma once
#include <bpf/btf.h>

#include <cstddef>
#include <cstdint>

namespace xdplab::value_bytes {

inline uint64_t get_le(const uint8_t *in, size_t size)
{
	uint64_t v = 0;
	for (size_t i = 0; i < size; ++i)
		v |= static_cast<uint64_t>(in[i]) << (8 * i);
	return v;
}

inline uint32_t resolved(const btf *b, uint32_t id)
{
	int r = btf__resolve_type(b, id);
	return r < 0 ? id : static_cast<uint32_t>(r);
}

} // namespace xdplab::value_bytes
