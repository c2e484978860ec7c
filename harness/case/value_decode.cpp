// Bytes back to JSON, for the evidence: maps and globals as a user wrote
// them (value_codec.h says the shapes).
#include "value_codec.h"
#include "value_bytes.h"

#include "../frame.h"

#include <bpf/btf.h>

#include <cstring>
#include <string>

namespace xdplab {

using value_bytes::get_le;
using value_bytes::resolved;

namespace {

json decode_btf(const uint8_t *in, const btf *b, uint32_t id)
{
	id = resolved(b, id);
	const btf_type *t = btf__type_by_id(b, id);
	if (!t)
		return nullptr;
	if (btf_is_int(t) && !btf_int_offset(t) && btf_int_bits(t) % 8 == 0 && t->size <= 8) {
		uint64_t raw = get_le(in, t->size);
		if ((btf_int_encoding(t) & BTF_INT_SIGNED) && t->size < 8 && (raw >> (8 * t->size - 1)) & 1)
			return static_cast<int64_t>(raw | (~uint64_t(0) << (8 * t->size)));
		if (btf_int_encoding(t) & BTF_INT_SIGNED)
			return static_cast<int64_t>(raw);
		return raw;
	}
	if (btf_is_any_enum(t)) {
		uint64_t raw = get_le(in, t->size);
		return t->size < 8 && (raw >> (8 * t->size - 1)) & 1 ? json(static_cast<int64_t>(raw | (~uint64_t(0) << (8 * t->size))))
								       : json(raw);
	}
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		size_t esize = btf_type_size(b, a->type);
		if (esize == 1) {
			if (a->nelems == 6) {
				Mac m;
				std::memcpy(m.data(), in, 6);
				return mac_str(m);
			}
			static const char *hex = "0123456789abcdef";
			std::string s;
			for (uint32_t i = 0; i < a->nelems; ++i)
				s += std::string{hex[in[i] >> 4], hex[in[i] & 15]};
			return s;
		}
		json arr = json::array();
		for (uint32_t i = 0; i < a->nelems; ++i)
			arr.push_back(decode_btf(in + i * esize, b, a->type));
		return arr;
	}
	if (btf_is_composite(t)) {
		json obj = json::object();
		const btf_member *m = btf_members(t);
		for (int i = 0; i < btf_vlen(t); ++i, ++m) {
			uint32_t bits = btf_member_bit_offset(t, static_cast<uint32_t>(i));
			const char *name = btf__name_by_offset(b, m->name_off);
			if (bits % 8 || !name || !*name)
				continue;
			obj[name] = decode_btf(in + bits / 8, b, m->type);
		}
		return obj;
	}
	return nullptr;
}

std::string hex_of(const uint8_t *in, size_t size)
{
	static const char *hex = "0123456789abcdef";
	std::string s;
	for (size_t i = 0; i < size; ++i)
		s += std::string{hex[in[i] >> 4], hex[in[i] & 15]};
	return s;
}

} // namespace

json decode_value(const uint8_t *bytes, const ValueType &t)
{
	if (t.special == ValueType::Special::DevmapValue) {
		if (t.size < 8)
			return get_le(bytes, 4);
		return {{"ifindex", get_le(bytes, 4)}, {"prog_id", get_le(bytes + 4, 4)}};
	}
	if (t.special == ValueType::Special::ProgFd)
		return get_le(bytes, 4);
	if (t.btf && t.type_id)
		return decode_btf(bytes, t.btf, t.type_id);
	if (t.size <= 8)
		return get_le(bytes, t.size);
	return hex_of(bytes, t.size);
}

} // namespace xdplab
