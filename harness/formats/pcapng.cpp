#include "pcapng.h"

#include "../results.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace xdplab {

namespace {

// Block and option codes of the pcapng specification (draft-ietf-opsawg-pcapng).
constexpr uint32_t kSectionHeader = 0x0A0D0D0A, kInterfaceDescription = 1, kEnhancedPacket = 6;
constexpr uint16_t kOptEnd = 0, kOptComment = 1, kShbUserAppl = 4, kIfName = 2, kIfDescription = 3,
		   kIfTsresol = 9, kEpbFlags = 2;
constexpr uint16_t kLinktypeEthernet = 1;
constexpr uint32_t kSnaplen = 65535;

// Little-endian host (x86-64, as the harness): values are written as they are
// in memory; the byte-order magic tells readers which order that is.
class Block {
public:
	explicit Block(uint32_t type) { u32(type), u32(0); }
	void u16(uint16_t v) { raw(&v, 2); }
	void u32(uint32_t v) { raw(&v, 4); }
	void u64(uint64_t v) { raw(&v, 8); }
	void raw(const void *p, size_t n)
	{
		auto *b = static_cast<const char *>(p);
		body_.append(b, n);
	}
	void pad() { body_.append((4 - body_.size() % 4) % 4, '\0'); }
	void option(uint16_t code, const std::string &value)
	{
		if (value.empty())
			return;
		u16(code), u16(static_cast<uint16_t>(value.size()));
		raw(value.data(), value.size());
		pad();
	}
	void end_options() { u16(kOptEnd), u16(0); }
	std::string finish()
	{
		uint32_t total = static_cast<uint32_t>(body_.size() + 4);
		body_.replace(4, 4, reinterpret_cast<const char *>(&total), 4);
		u32(total);
		return body_;
	}

private:
	std::string body_;
};

std::string section_header()
{
	Block b(kSectionHeader);
	b.u32(0x1A2B3C4D); // byte-order magic
	b.u16(1), b.u16(0);
	b.u64(~0ull); // section length not given
	b.option(kShbUserAppl, "xdplab");
	b.end_options();
	return b.finish();
}

std::string interface_description(const PcapInterface &i)
{
	Block b(kInterfaceDescription);
	b.u16(kLinktypeEthernet), b.u16(0);
	b.u32(kSnaplen);
	b.option(kIfName, i.name);
	b.option(kIfDescription, i.description);
	const char nanoseconds = 9;
	b.option(kIfTsresol, std::string(1, nanoseconds));
	b.end_options();
	return b.finish();
}

std::string enhanced_packet(uint32_t interface, const PcapFrame &f)
{
	Block b(kEnhancedPacket);
	b.u32(interface);
	b.u32(static_cast<uint32_t>(f.ts_ns >> 32)), b.u32(static_cast<uint32_t>(f.ts_ns));
	b.u32(static_cast<uint32_t>(f.bytes.size())), b.u32(std::max<uint32_t>(f.len, f.bytes.size()));
	b.raw(f.bytes.data(), f.bytes.size());
	b.pad();
	// epb_flags: direction in bits 0-1, 1 inbound, 2 outbound.
	uint32_t flags = f.outgoing ? 2 : 1;
	b.u16(kEpbFlags), b.u16(4), b.u32(flags);
	b.option(kOptComment, f.comment);
	b.end_options();
	return b.finish();
}

} // namespace

std::string to_pcapng(const std::vector<PcapInterface> &interfaces)
{
	std::string out = section_header();
	std::vector<std::tuple<uint64_t, uint32_t, const PcapFrame *>> order;
	for (uint32_t i = 0; i < interfaces.size(); ++i) {
		out += interface_description(interfaces[i]);
		for (const auto &f : interfaces[i].frames)
			order.emplace_back(f.ts_ns, i, &f);
	}
	std::stable_sort(order.begin(), order.end(),
			 [](const auto &a, const auto &b) { return std::get<0>(a) < std::get<0>(b); });
	for (const auto &[ts, i, f] : order)
		out += enhanced_packet(i, *f);
	return out;
}

std::string write_pcapng(const std::string &dir, const std::string &id, const std::string &subtest,
			 const std::vector<PcapInterface> &interfaces)
{
	std::filesystem::create_directories(dir);
	// Absolute: the results and the report name it from wherever they are read.
	std::string path = (std::filesystem::absolute(dir) / (id + "--" + subtest + ".pcapng")).lexically_normal();
	write_file_atomic(path, to_pcapng(interfaces));
	return path;
}

} // namespace xdplab
