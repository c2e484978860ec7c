#include "kernel_version.h"

#include <sys/utsname.h>

#include <regex>

namespace xdplab {

std::string KernelVersion::str() const
{
	return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<KernelVersion> parse_kernel_version(const std::string &text)
{
	static const std::regex re(R"(^\s*(\d+)\.(\d+)(?:\.(\d+))?)");
	std::smatch m;
	if (!std::regex_search(text, m, re))
		return std::nullopt;
	KernelVersion v;
	v.major = std::stoi(m[1]);
	v.minor = std::stoi(m[2]);
	v.patch = m[3].matched ? std::stoi(m[3]) : 0;
	return v;
}

KernelVersion effective_kernel_version(const std::string &release, const std::string &uname_version)
{
	static const std::regex distro(R"((?:Debian|Ubuntu)\s+(\d+\.\d+\.\d+))");
	std::smatch m;
	auto base = parse_kernel_version(release);
	if (std::regex_search(uname_version, m, distro)) {
		auto v = parse_kernel_version(m[1]);
		// Only trust it when it names the same series as the release.
		if (v && (!base || (v->major == base->major && v->minor == base->minor)))
			return *v;
	}
	return base.value_or(KernelVersion{});
}

bool VersionRange::contains(const KernelVersion &v) const
{
	return (!from || v >= *from) && (!until || v < *until);
}

std::string VersionRange::str() const
{
	auto short_str = [](const KernelVersion &v) {
		return v.patch ? v.str() : std::to_string(v.major) + "." + std::to_string(v.minor);
	};
	if (from && until)
		return ">=" + short_str(*from) + " <" + short_str(*until);
	if (from)
		return ">=" + short_str(*from);
	if (until)
		return "<" + short_str(*until);
	return "any";
}

RunningKernel running_kernel()
{
	utsname u{};
	uname(&u);
	return {u.release, effective_kernel_version(u.release, u.version)};
}

} // namespace xdplab
