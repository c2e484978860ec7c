#include "kernel_request.h"

#include "../kernel_version.h"

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>
#include <tuple>

namespace xdplab {

namespace {

// "linux-image-7.2.13+deb14-amd64" and its "linux-binary-7.2.13+deb14-amd64":
// the same build, by the name Debian gives the kernel ABI.
bool same_build(const std::string &package, const std::string &abi)
{
	if (!package.starts_with("linux-") || !package.ends_with("-" + abi))
		return false;
	std::string kind = package.substr(6, package.size() - 6 - abi.size() - 1);
	return !kind.empty() && std::all_of(kind.begin(), kind.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string abi_of(const std::string &image_package)
{
	std::string abi = image_package.substr(std::string("linux-image-").size());
	if (abi.ends_with("-unsigned"))
		abi.resize(abi.size() - std::string("-unsigned").size());
	return abi;
}

const std::regex &image_name()
{
	// 5.10.0-46, 6.1.0-0.deb11.52, 6.12.90+deb12.1, 7.3; a flavour (-cloud, -rt)
	// has no digit after its dash and so does not match, nor -dbg or templates.
	static const std::regex re(R"(linux-image-([0-9]+\.[0-9]+[0-9a-z.+~]*(-[0-9][0-9a-z.+~]*)?)-amd64(-unsigned)?)");
	return re;
}

std::vector<DebianKernel> kernels_of(const DebianArchive &a)
{
	std::vector<std::string> names;
	for (const auto &n : a.search("^linux-image-[0-9]"))
		if (std::regex_match(n, image_name()))
			names.push_back(n);
	if (names.empty())
		return {};
	auto kernels = kernels_from_stanzas(a.show(names), a.suites_of(names));
	mark_missing_packages(kernels, a.search("^linux-(binary|modules|base)-[0-9]"));
	return kernels;
}

std::string nothing_matches(const std::string &request, const std::vector<DebianKernel> &all, const DebianArchive &a)
{
	std::vector<std::string> series;
	for (auto it = all.rbegin(); it != all.rend(); ++it)
		if (std::find(series.begin(), series.end(), kernel_series(it->upstream)) == series.end())
			series.push_back(kernel_series(it->upstream));
	std::string s = "no Debian kernel package for " + request + " in the suites of " + a.dir() +
			"/sources.list (apt-get update output: " + a.dir() + "/update.log); series there:";
	for (const auto &x : series)
		s += " " + x;
	return s;
}

} // namespace

bool lacks_kernel_or_modules(const DebianKernel &k)
{
	return std::any_of(k.missing.begin(), k.missing.end(), [](const std::string &m) {
		return m.starts_with("linux-binary-") || m.starts_with("linux-modules-");
	});
}

// The packages of one build: the image and what it depends on of the same ABI:
// linux-base- (config, modules.builtin) from 6.18, linux-binary- (the kernel
// itself) and linux-modules- from 6.19. Those no suite carries are left out.
std::vector<DebianArchive::PackageRef> build_packages(const DebianArchive &a, const DebianKernel &k)
{
	std::string abi = abi_of(k.package);
	std::vector<DebianArchive::PackageRef> out = {{k.package, k.version}};
	auto taken = [&](const std::string &name) {
		return std::any_of(out.begin(), out.end(), [&](const auto &o) { return o.name == name; }) ||
		       std::find(k.missing.begin(), k.missing.end(), name) != k.missing.end();
	};
	for (size_t i = 0; i < out.size(); ++i)
		for (const auto &d : i == 0 ? k.depends : a.depends(out[i]))
			if (same_build(d.name, abi) && !taken(d.name))
				out.push_back(d);
	return out;
}

// "linux-image-7.1.13+deb13-amd64 7.1.13-1~bpo13+1 depends on linux-modules-..., which no suite carries any more"
std::string missing_note(const DebianKernel &k)
{
	std::string s = k.package + " " + k.version + " depends on ";
	for (size_t i = 0; i < k.missing.size(); ++i)
		s += (i ? ", " : "") + k.missing[i];
	return s + ", which no suite carries any more";
}

DebianKernel resolve_kernel_request(const std::string &request, DebianArchive &a)
{
	KernelRequest r = parse_kernel_request(request);
	bool updated = a.refresh();
	auto all = kernels_of(a);
	auto k = choose_kernel(r, all);
	if (!k && !updated) {
		// Lists younger than a day may still predate the upload asked for.
		a.update();
		all = kernels_of(a);
		k = choose_kernel(r, all);
	}
	if (!k)
		throw std::runtime_error(nothing_matches(request, all, a));
	// Ranked last, so every build of the request lacks them: say so before any download.
	if (lacks_kernel_or_modules(*k))
		throw std::runtime_error("no complete Debian build for " + request + ": the newest, " + missing_note(*k));
	return *k;
}

bool kernel_older(const DebianKernel &a, const DebianKernel &b)
{
	if (int c = debian_version_compare(a.upstream, b.upstream))
		return c < 0;
	if (int c = debian_version_compare(a.version, b.version))
		return c < 0;
	if (a.is_signed != b.is_signed)
		return !a.is_signed;
	return a.package < b.package;
}

KernelRequest parse_kernel_request(const std::string &request)
{
	static const std::regex form(R"(([0-9]+\.[0-9]+)(\.[0-9]+)?([-~]rc[0-9]+)?)");
	std::smatch m;
	if (!std::regex_match(request, m, form))
		throw std::invalid_argument("kernel \"" + request +
					    "\": expected a series like 6.1, an upstream version like 6.12.43 "
					    "or 7.3-rc7, or host");
	KernelRequest r;
	r.version = m[1].str() + m[2].str();
	if (m[3].matched)
		r.version += "~" + m[3].str().substr(1);
	r.exact = m[2].matched || m[3].matched;
	return r;
}

void check_kernel_request(const std::string &request)
{
	if (!kernel_alias(request))
		parse_kernel_request(request);
}

bool kernel_alias(const std::string &request)
{
	return request == "all" || request == "lts" || request == "newest" || request == "boundaries";
}

std::string kernel_series(const std::string &upstream)
{
	static const std::regex series(R"(^([0-9]+\.[0-9]+))");
	std::smatch m;
	return std::regex_search(upstream, m, series) ? m[1].str() : upstream;
}

std::vector<std::string> expand_kernel_requests(const std::vector<std::string> &requests,
						const std::vector<DebianKernel> &available)
{
	// Only series with a build that can be booted with its modules.
	std::vector<const DebianKernel *> usable;
	for (const auto &k : available)
		if (!lacks_kernel_or_modules(k))
			usable.push_back(&k);
	auto newest_of = [&](bool rc) -> std::optional<std::string> {
		const DebianKernel *best = nullptr;
		for (const auto *k : usable)
			if ((k->upstream.find("~rc") != std::string::npos) == rc && (!best || kernel_older(*best, *k)))
				best = k;
		if (!best)
			return std::nullopt;
		return rc ? best->upstream.substr(0, best->upstream.find('~')) + "-" +
				    best->upstream.substr(best->upstream.find('~') + 1)
			  : kernel_series(best->upstream);
	};
	std::vector<std::string> out;
	auto add = [&](const std::string &r) {
		if (std::find(out.begin(), out.end(), r) == out.end())
			out.push_back(r);
	};
	for (const auto &r : requests) {
		if (r == "lts") {
			for (const char *s : {"5.10", "6.1", "6.12"})
				add(s);
		} else if (r == "newest") {
			if (auto s = newest_of(false))
				add(*s);
			if (auto rc = newest_of(true))
				add(*rc);
		} else if (r == "boundaries") {
			continue; // needs the expectations: expanded by the caller
		} else if (r == "all") {
			std::vector<std::string> series;
			for (const auto *k : usable)
				if (k->upstream.find("~rc") == std::string::npos)
					series.push_back(kernel_series(k->upstream));
			std::sort(series.begin(), series.end(), [](const std::string &a, const std::string &b) {
				return parse_kernel_version(a).value_or(KernelVersion{}) <
				       parse_kernel_version(b).value_or(KernelVersion{});
			});
			for (const auto &s : series)
				add(s);
			if (auto rc = newest_of(true))
				add(*rc);
			add("host");
		} else {
			add(r);
		}
	}
	return out;
}

bool request_matches(const KernelRequest &r, const DebianKernel &k)
{
	if (r.exact)
		return k.upstream == r.version;
	// "6.1" is 6.1, 6.1.x and 6.1~rcN, not 6.12.
	return k.upstream == r.version || k.upstream.starts_with(r.version + ".") ||
	       k.upstream.starts_with(r.version + "~");
}

std::optional<DebianKernel> choose_kernel(const KernelRequest &r, const std::vector<DebianKernel> &kernels)
{
	// Bootable with modules, then complete, then signed, then newest.
	auto rank = [](const DebianKernel &k) {
		return std::make_tuple(!lacks_kernel_or_modules(k), k.missing.empty(), k.is_signed);
	};
	std::optional<DebianKernel> best;
	for (const auto &k : kernels)
		if (request_matches(r, k) &&
		    (!best || rank(*best) < rank(k) || (rank(*best) == rank(k) && kernel_older(*best, k))))
			best = k;
	return best;
}

void mark_missing_packages(std::vector<DebianKernel> &kernels, const std::vector<std::string> &carried)
{
	std::set<std::string> have(carried.begin(), carried.end());
	for (auto &k : kernels) {
		k.missing.clear();
		for (const auto &d : k.depends)
			if (same_build(d.name, abi_of(k.package)) && !have.count(d.name) &&
			    std::find(k.missing.begin(), k.missing.end(), d.name) == k.missing.end())
				k.missing.push_back(d.name);
	}
}

std::vector<DebianKernel> kernels_from_stanzas(const std::vector<DebianArchive::Stanza> &stanzas,
					       const std::vector<DebianArchive::Offer> &offers)
{
	std::vector<DebianKernel> out;
	for (const auto &s : stanzas) {
		std::smatch m;
		if (!std::regex_match(s.package, m, image_name()))
			continue;
		// linux-image-6.12-amd64 only points at linux-image-6.12.117+deb12-amd64, listed itself.
		if (std::any_of(s.depends.begin(), s.depends.end(),
				[](const auto &d) { return d.name.starts_with("linux-image-"); }))
			continue;
		if (std::any_of(out.begin(), out.end(),
				[&](const auto &k) { return k.package == s.package && k.version == s.version; }))
			continue;
		DebianKernel k{s.package, s.version, upstream_version(s.version), "", !m[3].matched, s.depends};
		for (const auto &o : offers)
			if (o.package == k.package && o.version == k.version)
				k.suite += (k.suite.empty() ? "" : ", ") + o.suite;
		out.push_back(k);
	}
	std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return kernel_older(b, a); });
	return out;
}

std::vector<DebianKernel> list_debian_kernels(const std::string &cache_dir)
{
	DebianArchive a(cache_dir);
	a.refresh();
	return kernels_of(a);
}

std::string resolve_debian_kernel(const std::string &request, const std::string &cache_dir)
{
	DebianArchive a(cache_dir);
	return resolve_kernel_request(request, a).package;
}

} // namespace xdplab
