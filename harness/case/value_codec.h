// Map keys and values, and global variables, written as a user writes them in
// a case file and turned into the bytes the kernel wants (and back, to read
// maps and globals into the evidence).
//
// The shape comes from the object's BTF where it has one (a struct is a
// mapping of member names, an array a list, a byte array also a MAC or an
// address); otherwise from the size alone (an integer, little-endian). A
// string of the form fn(arg) stands for something only known at run time:
//   ifindex(link)   the link's ifindex            mac(link)    its MAC (6 bytes)
//   prog(obj/prog)  the program's fd (map values)  prog_id(...)  its id
//   ipv4(a.b.c.d)   4 bytes, network order         ipv6(addr)   16 bytes
//   hex(0a0b...)    raw bytes
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct btf;

namespace xdplab {

using json = nlohmann::json;

class ValueError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// fn(arg) of a string, when it is one of the forms above.
struct Symbol {
	std::string fn, arg;
};
std::optional<Symbol> parse_symbol(const json &v);

// Every symbol inside a value (for checks before anything runs).
void for_each_symbol(const json &v, const std::function<void(const Symbol &)> &visit);

// What symbols stand for in one subtest's run.
struct SymbolValues {
	std::function<int(const std::string &link)> ifindex;
	std::function<std::vector<uint8_t>(const std::string &link)> mac;
	std::function<int(const std::string &prog)> prog_fd;
	std::function<unsigned(const std::string &prog)> prog_id;
};

// A type to encode into: a BTF type of `btf`, or (btf null) plain bytes of `size`.
struct ValueType {
	const struct btf *btf = nullptr;
	uint32_t type_id = 0;
	size_t size = 0;
	// Synthesized shape for maps declared without BTF types: a devmap value
	// {ifindex, prog} (4 or 8 bytes), a prog-array value (a program fd).
	enum class Special { None, DevmapValue, ProgFd } special = Special::None;
};

// Throws ValueError saying what did not fit where ("at .chain.key[1]: ...").
std::vector<uint8_t> encode_value(const json &v, const ValueType &t, const SymbolValues &sym);
// Writes into `out` (which must be the type's size).
void encode_into(const json &v, const ValueType &t, const SymbolValues &sym, uint8_t *out);

// Bytes back to JSON: integers as numbers, structs as objects, byte arrays of
// 6 as a MAC text and other byte arrays as hex text, unknown shapes as hex.
json decode_value(const uint8_t *bytes, const ValueType &t);

// The size of a BTF type (after typedefs and modifiers).
size_t btf_type_size(const struct btf *btf, uint32_t type_id);

} // namespace xdplab
