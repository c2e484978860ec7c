#include "kernel_version.h"

#include <sys/utsname.h>

#include <fstream>
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

KernelVersion effective_kernel_version(const std::string &release, const std::string &uname_version,
				       const std::string &version_signature)
{
	auto base = parse_kernel_version(release);
	auto same_series = [&](const std::optional<KernelVersion> &v) {
		return v && (!base || (v->major == base->major && v->minor == base->minor));
	};
	// "Ubuntu 5.15.0-91.101-generic 5.15.131": the last field is upstream's.
	static const std::regex ubuntu(R"(^\s*Ubuntu\S*\s+\S+\s+(\d+\.\d+\.\d+)\s*$)");
	std::smatch m;
	if (std::regex_match(version_signature, m, ubuntu)) {
		auto v = parse_kernel_version(m[1]);
		if (same_series(v))
			return *v;
	}
	// Ubuntu's `uname -v` ("#101-Ubuntu SMP ...") carries no version; Debian's does.
	static const std::regex debian(R"(Debian\s+(\d+\.\d+\.\d+))");
	if (std::regex_search(uname_version, m, debian)) {
		auto v = parse_kernel_version(m[1]);
		if (same_series(v))
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
	std::string signature;
	std::ifstream f("/proc/version_signature"); // Ubuntu only
	std::getline(f, signature);
	return {u.release, effective_kernel_version(u.release, u.version, signature)};
}

} // namespace xdplab
