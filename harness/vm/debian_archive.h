// Debian's archive through an apt configuration of our own under the kernel
// cache: the host's sources and lists are never used or changed. Package
// stanzas, Depends fields and version order come from libapt-pkg, as apt reads
// them; apt-get and apt-cache do the network and the cache.
#pragma once
#include "debian_control.h"

#include <chrono>
#include <string>
#include <vector>

namespace xdplab {

// apt with its own sources list, lists, caches and an empty dpkg status under
// <cache_dir>/apt. The host's apt.conf.d still applies (proxies, Check-Valid-Until)
// except its update hooks, which concern the host's lists.
class DebianArchive {
public:
	using PackageRef = xdplab::PackageRef;

	// Writes the configuration (mirrors from the host's sources); no network.
	explicit DebianArchive(const std::string &cache_dir);

	// apt-get update. A suite the mirror does not serve is not fatal as long as
	// some lists arrived; apt's output is kept in update.log.
	void update();
	// Never updated, updated longer ago than max_age, or the sources changed since.
	bool stale(std::chrono::hours max_age = std::chrono::hours(24)) const;
	// Updates when stale(); returns whether it did.
	bool refresh();

	std::vector<std::string> search(const std::string &name_regex) const;
	// Every version of these packages: name, version and Depends (all alternatives).
	struct Stanza {
		std::string package;
		std::string version;
		std::vector<PackageRef> depends;
	};
	std::vector<Stanza> show(const std::vector<std::string> &names) const;
	// Which suites carry each version: {package, version, suite} rows.
	struct Offer {
		std::string package;
		std::string version;
		std::string suite;
	};
	std::vector<Offer> suites_of(const std::vector<std::string> &names) const;
	std::vector<PackageRef> depends(const PackageRef &pkg) const;
	// apt-get download into dir; returns the .deb's path.
	std::string download(const PackageRef &pkg, const std::string &dir) const;

	const std::string &dir() const { return dir_; }
	// The apt command line prefix: {tool, "-c", <private apt.conf>}.
	std::vector<std::string> apt(const std::string &tool) const;

private:
	std::string dir_;
};

} // namespace xdplab
