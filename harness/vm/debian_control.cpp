#include "debian_control.h"

#include <apt-pkg/debversion.h>
#include <apt-pkg/deblistparser.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/tagfile.h>

#include <sstream>
#include <stdexcept>

namespace xdplab {

std::vector<Deb822Stanza> deb822_stanzas(const std::string &text, const std::vector<std::string> &fields)
{
	// Comment lines are dropped first, as apt's sources reader does; the
	// parser wants every stanza ended by a blank line.
	std::string storage;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);) {
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		if (!line.starts_with('#'))
			storage += line + "\n";
	}
	storage += "\n\n";
	std::vector<Deb822Stanza> out;
	const char *at = storage.data(), *end = storage.data() + storage.size();
	while (at < end) {
		while (at < end && (*at == '\n' || *at == ' ' || *at == '\t'))
			++at;
		if (at >= end)
			break;
		pkgTagSection s;
		if (!s.Scan(at, static_cast<unsigned long>(end - at)) || s.size() == 0)
			break;
		at += s.size();
		Deb822Stanza stanza;
		for (const auto &f : fields)
			stanza[f] = s.FindS(f);
		out.push_back(std::move(stanza));
	}
	return out;
}

std::vector<PackageRef> parse_depends(const std::string &text)
{
	std::vector<PackageRef> out;
	const char *at = text.data(), *end = text.data() + text.size();
	while (at < end) {
		std::string package, version;
		unsigned int op = 0;
		at = debListParser::ParseDepends(at, end, package, version, op);
		if (at == nullptr)
			throw std::runtime_error("a Depends field apt cannot parse: " + text);
		if (!package.empty())
			out.push_back({package, (op & 0x0F) == pkgCache::Dep::Equals ? version : ""});
	}
	return out;
}

int debian_version_compare(const std::string &a, const std::string &b)
{
	int c = debVS.CmpVersion(a, b);
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string upstream_version(const std::string &debian_version)
{
	return debVS.UpstreamVersion(debian_version.c_str());
}

} // namespace xdplab
