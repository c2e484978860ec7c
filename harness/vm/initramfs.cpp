#include "initramfs.h"

#include "../case/case_spec.h"
#include "../../netns/command.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

void copy_into(const fs::path &root, const std::string &host_path, const std::string &guest_path = "")
{
	fs::path dst = root / fs::path(guest_path.empty() ? host_path : guest_path).relative_path();
	fs::create_directories(dst.parent_path());
	fs::copy_file(fs::canonical(host_path), dst, fs::copy_options::overwrite_existing);
}

// Shared libraries a dynamic binary needs, from ldd.
std::set<std::string> libraries_of(const std::string &binary)
{
	std::set<std::string> libs;
	CommandResult r = run_command({"ldd", binary});
	static const std::regex arrow(R"(=>\s+(/\S+))"), loader(R"(^\s*(/\S+ld-linux\S*))");
	std::istringstream in(r.output);
	std::string line;
	while (std::getline(in, line)) {
		std::smatch m;
		if (std::regex_search(line, m, arrow) || std::regex_search(line, m, loader))
			libs.insert(m[1]);
	}
	return libs;
}

std::string require_tool(const std::string &name, const std::string &path)
{
	if (path.empty())
		throw std::runtime_error("the guest needs " + name + " from the host, and it is not installed");
	return fs::canonical(path).string();
}

} // namespace

std::string guest_args_file(const std::vector<std::string> &harness_args)
{
	std::string out;
	for (const auto &a : harness_args) {
		if (a.find('\n') != std::string::npos)
			throw std::runtime_error("a guest argument holds a line break: " + a);
		out += a + "\n";
	}
	return out;
}

CaseLayout case_layout(const std::vector<std::string> &case_files)
{
	CaseLayout out;
	for (size_t n = 0; n < case_files.size(); ++n) {
		CaseFile cf = load_case_file(case_files[n]);
		std::vector<fs::path> files;
		for (const auto &s : cf.sources)
			files.push_back(fs::canonical(s));
		for (const auto &o : cf.object_files())
			files.push_back(fs::canonical(o));
		// The deepest directory holding all of them.
		fs::path base = files.front().parent_path();
		for (const auto &f : files)
			while (f.string().rfind(base.string() + "/", 0) != 0 && base != base.root_path())
				base = base.parent_path();
		fs::path guest_dir = fs::path("/xdplab/cases") / std::to_string(n);
		for (const auto &f : files)
			out.files.push_back({f.string(), (guest_dir / fs::relative(f, base)).string()});
		out.guest_cases.push_back((guest_dir / fs::relative(files.front(), base)).string());
	}
	return out;
}

std::string build_initramfs(const KernelImage &k, const GuestPlan &plan, const std::string &work_dir)
{
	fs::path root = fs::path(work_dir) / "root";
	fs::remove_all(root);
	for (const char *d : {"bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "run", "tmp",
			      "lib/modules", "xdplab/experiments"})
		fs::create_directories(root / d);

	copy_into(root, require_tool("busybox", find_tool("busybox")), "/bin/busybox");
	std::vector<std::pair<std::string, std::string>> tools = {
		{require_tool("ip", find_tool("ip")), "/usr/sbin/ip"},
		{require_tool("ethtool", find_tool("ethtool")), "/usr/sbin/ethtool"},
		{require_tool("bpftool", bpftool_path()), "/usr/sbin/bpftool"},
	};
	// Optional tools: experiments that need them skip with the reason when absent.
	for (const char *name : {"ping"})
		if (auto path = find_tool(name); !path.empty())
			tools.push_back({fs::canonical(path).string(), "/usr/bin/" + std::string(name)});
	std::set<std::string> libs;
	for (const auto &[host, guest] : tools) {
		copy_into(root, host, guest);
		auto l = libraries_of(host);
		libs.insert(l.begin(), l.end());
	}
	// The harness, stripped: debug info would triple the image.
	run_checked({"strip", "-o", (root / "xdplab/xdplab").string(), plan.harness_binary});
	auto hl = libraries_of(plan.harness_binary);
	libs.insert(hl.begin(), hl.end());
	for (const auto &lib : libs)
		copy_into(root, lib);
	for (const auto &e : fs::directory_iterator(plan.expectations_dir))
		if (e.path().extension() == ".json" || e.path().extension() == ".yaml")
			fs::copy_file(e.path(), root / "xdplab/experiments" / e.path().filename());
	for (const auto &[host, guest] : plan.extra_files)
		copy_into(root, host, guest);

	// The modules the guest loads, decompressed (busybox insmod reads plain
	// .ko files). veth was checked when the kernel was chosen: a missing one
	// is an error before any boot. sch_ingress (clsact) and cls_bpf serve
	// cases with tc programs; without them those cases say the qdisc is unknown.
	auto pack_module = [&](const std::string &name, const std::string &path) {
		fs::path dst = root / "lib/modules" / (name + ".ko");
		std::string ext = fs::path(path).extension().string();
		if (ext == ".xz")
			run_checked({"sh", "-c", "xz -dc \"$0\" > \"$1\"", path, dst.string()});
		else if (ext == ".zst")
			run_checked({"sh", "-c", "zstd -qdc \"$0\" > \"$1\"", path, dst.string()});
		else if (ext == ".gz")
			run_checked({"sh", "-c", "gzip -dc \"$0\" > \"$1\"", path, dst.string()});
		else
			fs::copy_file(path, dst);
	};
	if (std::string veth = require_module(k, "veth"); !veth.empty())
		pack_module("veth", veth);
	for (const char *name : {"sch_ingress", "cls_bpf"})
		if (std::string path = find_module(k, name); !path.empty())
			pack_module(name, path);
	std::ofstream(root / "init") << guest_init_text();
	std::ofstream(root / "xdplab/args") << guest_args_file(plan.harness_args);
	fs::permissions(root / "init", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
						fs::perms::others_read | fs::perms::others_exec);

	std::string out = (fs::path(work_dir) / "initramfs.cpio").string();
	run_checked({"sh", "-c", "cd \"$0\" && find . | cpio -o -H newc --quiet > \"$1\"", root.string(), out});
	fs::remove_all(root);
	return out;
}

std::string gunzip(const std::string &in)
{
	z_stream z{};
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) // 16: a gzip header, not a zlib one
		throw std::runtime_error("zlib: inflateInit2 failed");
	z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
	z.avail_in = static_cast<uInt>(in.size());
	std::string out;
	char buf[1 << 16];
	int rc;
	do {
		z.next_out = reinterpret_cast<Bytef *>(buf);
		z.avail_out = sizeof buf;
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			inflateEnd(&z);
			throw std::runtime_error("the guest's results block does not decompress (zlib error " +
						 std::to_string(rc) + ")");
		}
		out.append(buf, sizeof buf - z.avail_out);
	} while (rc != Z_STREAM_END && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	if (rc != Z_STREAM_END)
		throw std::runtime_error("the guest's results block is truncated (gzip stream unfinished)");
	return out;
}

std::string base64_decode(const std::string &in)
{
	// OpenSSL's decoder skips line breaks; carriage returns (a serial line's
	// CR/LF translation) and spaces are dropped first.
	std::string clean;
	for (char c : in)
		if (c != '\r' && c != ' ')
			clean += c;
	std::string out(clean.size() * 3 / 4 + 3, '\0');
	std::unique_ptr<EVP_ENCODE_CTX, decltype(&EVP_ENCODE_CTX_free)> ctx(EVP_ENCODE_CTX_new(), EVP_ENCODE_CTX_free);
	if (!ctx)
		throw std::runtime_error("OpenSSL: EVP_ENCODE_CTX_new failed");
	EVP_DecodeInit(ctx.get());
	int n = 0, tail = 0;
	auto *dst = reinterpret_cast<unsigned char *>(out.data());
	if (EVP_DecodeUpdate(ctx.get(), dst, &n, reinterpret_cast<const unsigned char *>(clean.data()),
			     static_cast<int>(clean.size())) < 0 ||
	    EVP_DecodeFinal(ctx.get(), dst + n, &tail) < 0)
		throw std::runtime_error("invalid base64 in the guest's results block");
	out.resize(static_cast<size_t>(n + tail));
	return out;
}

std::string sha256_hex(const std::string &data)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
		throw std::runtime_error("OpenSSL: SHA-256 failed");
	static const char *hex = "0123456789abcdef";
	std::string out;
	for (unsigned i = 0; i < len; ++i)
		out += {hex[md[i] >> 4], hex[md[i] & 15]};
	return out;
}

GuestResults decode_results_block(const std::string &serial)
{
	std::string text;
	for (char c : serial)
		if (c != '\r')
			text += c;
	auto begin = text.find("XDPLAB-RESULTS-BEGIN ");
	if (begin == std::string::npos)
		throw std::runtime_error("the guest sent no results block");
	auto eol = text.find('\n', begin);
	auto end = text.find("XDPLAB-RESULTS-END", begin);
	if (eol == std::string::npos || end == std::string::npos)
		throw std::runtime_error("the guest's results block is truncated");
	std::istringstream header(text.substr(begin, eol - begin));
	std::string tag, sha, encoding;
	GuestResults g;
	header >> tag >> sha >> g.exit_code >> encoding;
	g.json_text = base64_decode(text.substr(eol + 1, end - eol - 1));
	if (encoding == "gzip")
		g.json_text = gunzip(g.json_text);
	if (sha256_hex(g.json_text) != sha)
		throw std::runtime_error("the guest's results block fails its checksum");
	return g;
}

} // namespace xdplab
