#include "value_codec.h"
#include "value_bytes.h"

#include "../../netns/address.h"
#include "../frame.h"

#include <bpf/btf.h>

#include <sys/socket.h>

#include <cstring>
#include <map>
#include <regex>

namespace xdplab {

using value_bytes::resolved;

namespace {

const std::regex kSymbol(R"(^(ifindex|mac|prog|prog_id|ipv4|ipv6|hex)\(([^()]*)\)$)");

[[noreturn]] void fail(const std::string &where, const std::string &what)
{
	throw ValueError((where.empty() ? std::string("") : "at " + where + ": ") + what);
}

void put_le(uint8_t *out, size_t size, uint64_t v)
{
	for (size_t i = 0; i < size; ++i)
		out[i] = static_cast<uint8_t>(v >> (8 * i));
}

std::vector<uint8_t> hex_bytes(const std::string &hex, const std::string &where)
{
	std::string h;
	for (char c : hex)
		if (!isspace(static_cast<unsigned char>(c)) && c != ':')
			h += c;
	if (h.size() % 2 || h.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
		fail(where, "hex(" + hex + "): not an even number of hex digits");
	std::vector<uint8_t> out;
	for (size_t i = 0; i < h.size(); i += 2)
		out.push_back(static_cast<uint8_t>(std::stoul(h.substr(i, 2), nullptr, 16)));
	return out;
}

bool looks_like_mac(const std::string &s)
{
	static const std::regex mac(R"(^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$)");
	return std::regex_match(s, mac);
}

// A value that stands for bytes (MAC, address, hex), if it is one.
std::optional<std::vector<uint8_t>> bytes_of(const json &v, const SymbolValues &sym, const std::string &where)
{
	if (!v.is_string())
		return std::nullopt;
	const std::string s = v.get<std::string>();
	if (looks_like_mac(s)) {
		Mac m = parse_mac(s);
		return std::vector<uint8_t>(m.begin(), m.end());
	}
	auto symbol = parse_symbol(v);
	if (!symbol)
		return std::nullopt;
	if (symbol->fn == "mac") {
		if (!sym.mac)
			fail(where, "mac() is not known here");
		return sym.mac(symbol->arg);
	}
	if (symbol->fn == "ipv4" || symbol->fn == "ipv6") {
		auto a = parse_ip(symbol->arg);
		if (!a || a->prefix >= 0 || (a->family == AF_INET) != (symbol->fn == "ipv4"))
			fail(where, s + ": not an " + symbol->fn + " address");
		return std::vector<uint8_t>(a->bytes, a->bytes + (a->family == AF_INET ? 4 : 16));
	}
	if (symbol->fn == "hex")
		return hex_bytes(symbol->arg, where);
	return std::nullopt;
}

// An integer a value stands for: a number, true/false, or ifindex()/prog()/prog_id().
std::optional<int64_t> integer_of(const json &v, const SymbolValues &sym, const std::string &where)
{
	if (v.is_boolean())
		return v.get<bool>() ? 1 : 0;
	if (v.is_number_unsigned())
		return static_cast<int64_t>(v.get<uint64_t>());
	if (v.is_number_integer())
		return v.get<int64_t>();
	auto symbol = parse_symbol(v);
	if (!symbol)
		return std::nullopt;
	if (symbol->fn == "ifindex" && sym.ifindex)
		return sym.ifindex(symbol->arg);
	if (symbol->fn == "prog" && sym.prog_fd)
		return sym.prog_fd(symbol->arg);
	if (symbol->fn == "prog_id" && sym.prog_id)
		return sym.prog_id(symbol->arg);
	if (symbol->fn == "ifindex" || symbol->fn == "prog" || symbol->fn == "prog_id")
		fail(where, symbol->fn + "() is not known here");
	return std::nullopt;
}

void put_integer(const json &v, size_t size, bool is_signed, const SymbolValues &sym, const std::string &where,
		 uint8_t *out)
{
	auto n = integer_of(v, sym, where);
	if (!n)
		fail(where, "expected an integer (or ifindex()/prog()/prog_id()), found " + v.dump());
	if (size < 8) {
		int64_t lo = is_signed ? -(int64_t(1) << (8 * size - 1)) : 0;
		int64_t hi = is_signed ? (int64_t(1) << (8 * size - 1)) - 1 : (int64_t(1) << (8 * size)) - 1;
		// An unsigned field may be written as a negative number of the same width (-1 = all ones).
		if (*n < lo && !(!is_signed && *n >= -(int64_t(1) << (8 * size - 1))))
			fail(where, std::to_string(*n) + " does not fit in " + std::to_string(size) + " bytes");
		if (*n > hi)
			fail(where, std::to_string(*n) + " does not fit in " + std::to_string(size) + " bytes");
	}
	put_le(out, size, static_cast<uint64_t>(*n));
}

void put_bytes(const std::vector<uint8_t> &b, size_t size, const std::string &where, uint8_t *out)
{
	if (b.size() > size)
		fail(where, std::to_string(b.size()) + " bytes do not fit in " + std::to_string(size));
	std::memcpy(out, b.data(), b.size());
}

void encode_btf(const json &v, const btf *b, uint32_t id, const SymbolValues &sym, const std::string &where,
		uint8_t *out)
{
	id = resolved(b, id);
	const btf_type *t = btf__type_by_id(b, id);
	if (!t)
		fail(where, "no such BTF type");
	if (btf_is_int(t)) {
		if (btf_int_offset(t) || btf_int_bits(t) % 8)
			fail(where, "bit-sized integers cannot be written");
		// ipv4(...) into a __u32 (or any bytes of the integer's size): as they are, network order.
		if (auto bytes = bytes_of(v, sym, where); bytes && bytes->size() == t->size) {
			put_bytes(*bytes, t->size, where, out);
			return;
		}
		put_integer(v, t->size, btf_int_encoding(t) & BTF_INT_SIGNED, sym, where, out);
	} else if (btf_is_any_enum(t)) {
		if (v.is_string() && !parse_symbol(v)) {
			const std::string name = v.get<std::string>();
			if (btf_is_enum(t)) {
				const struct btf_enum *e = btf_enum(t);
				for (int i = 0; i < btf_vlen(t); ++i, ++e)
					if (name == btf__name_by_offset(b, e->name_off)) {
						put_le(out, t->size, static_cast<uint64_t>(static_cast<int64_t>(e->val)));
						return;
					}
			}
			fail(where, "\"" + name + "\" is not one of the enum's names");
		}
		put_integer(v, t->size, true, sym, where, out);
	} else if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		uint32_t elem = resolved(b, a->type);
		size_t esize = btf_type_size(b, elem);
		if (esize == 1)
			if (auto bytes = bytes_of(v, sym, where)) {
				put_bytes(*bytes, a->nelems, where, out);
				return;
			}
		if (!v.is_array())
			fail(where, "expected a list of up to " + std::to_string(a->nelems) + " elements" +
					    (esize == 1 ? " (or mac(), ipv4(), ipv6(), hex())" : "") + ", found " + v.dump());
		if (v.size() > a->nelems)
			fail(where, std::to_string(v.size()) + " elements, the array has " + std::to_string(a->nelems));
		for (size_t i = 0; i < v.size(); ++i)
			encode_btf(v[i], b, elem, sym, where + "[" + std::to_string(i) + "]", out + i * esize);
	} else if (btf_is_composite(t)) {
		if (!v.is_object())
			fail(where, "expected a mapping of member names, found " + v.dump());
		const btf_member *m = btf_members(t);
		std::map<std::string, const btf_member *> members;
		for (int i = 0; i < btf_vlen(t); ++i, ++m)
			members[btf__name_by_offset(b, m->name_off)] = m;
		for (auto it = v.begin(); it != v.end(); ++it) {
			auto found = members.find(it.key());
			if (found == members.end()) {
				std::string names;
				for (const auto &[n, _] : members)
					names += (names.empty() ? "" : ", ") + n;
				fail(where, "no member \"" + it.key() + "\" (members: " + names + ")");
			}
			uint32_t bits = btf_member_bit_offset(t, static_cast<uint32_t>(found->second - btf_members(t)));
			if (bits % 8 || btf_member_bitfield_size(t, static_cast<uint32_t>(found->second - btf_members(t))))
				fail(where + "." + it.key(), "bit fields cannot be written");
			encode_btf(it.value(), b, found->second->type, sym, where + "." + it.key(), out + bits / 8);
		}
	} else {
		fail(where, "this kind of type cannot be written from a case file");
	}
}

} // namespace

std::optional<Symbol> parse_symbol(const json &v)
{
	if (!v.is_string())
		return std::nullopt;
	std::smatch m;
	const std::string s = v.get<std::string>();
	if (!std::regex_match(s, m, kSymbol))
		return std::nullopt;
	return Symbol{m[1], m[2]};
}

void for_each_symbol(const json &v, const std::function<void(const Symbol &)> &visit)
{
	if (auto s = parse_symbol(v))
		visit(*s);
	if (v.is_structured())
		for (const auto &x : v)
			for_each_symbol(x, visit);
}

size_t btf_type_size(const struct btf *b, uint32_t type_id)
{
	long long s = btf__resolve_size(b, type_id);
	return s < 0 ? 0 : static_cast<size_t>(s);
}

void encode_into(const json &v, const ValueType &t, const SymbolValues &sym, uint8_t *out)
{
	std::memset(out, 0, t.size);
	if (t.special == ValueType::Special::DevmapValue) {
		json ifx = v, prog = nullptr;
		if (v.is_object()) {
			for (auto it = v.begin(); it != v.end(); ++it)
				if (it.key() != "ifindex" && it.key() != "prog")
					fail("", "a devmap value is {ifindex, prog}, not \"" + it.key() + "\"");
			ifx = v.value("ifindex", json(0));
			prog = v.value("prog", json(nullptr));
		}
		put_integer(ifx, 4, false, sym, ".ifindex", out);
		if (!prog.is_null()) {
			if (t.size < 8)
				fail(".prog", "this devmap has 4-byte values: an entry cannot carry a program "
					      "(give the map value_size 8)");
			put_integer(prog, 4, true, sym, ".prog", out + 4);
		}
		return;
	}
	if (t.special == ValueType::Special::ProgFd) {
		put_integer(v, 4, true, sym, "", out);
		return;
	}
	if (t.btf && t.type_id) {
		encode_btf(v, t.btf, t.type_id, sym, "", out);
		return;
	}
	if (auto bytes = bytes_of(v, sym, "")) {
		if (bytes->size() != t.size)
			fail("", std::to_string(bytes->size()) + " bytes for a " + std::to_string(t.size) + "-byte field");
		put_bytes(*bytes, t.size, "", out);
		return;
	}
	if (t.size > 8)
		fail("", "a " + std::to_string(t.size) + "-byte field without BTF type is written as hex(...), found " +
				 v.dump());
	put_integer(v, t.size, false, sym, "", out);
}

std::vector<uint8_t> encode_value(const json &v, const ValueType &t, const SymbolValues &sym)
{
	std::vector<uint8_t> out(t.size);
	encode_into(v, t, sym, out.data());
	return out;
}

} // namespace xdplab
