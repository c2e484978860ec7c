// Debian's kernel changelogs: entries and the upstream releases each names.
#include "harness/vm/changelog.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <unistd.h>

using namespace xdplab;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string &name)
{
	std::ifstream in(std::string(XDPLAB_FIXTURES) + "/changelog/" + name);
	BOOST_REQUIRE(in);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

const ChangelogEntry &entry(const std::vector<ChangelogEntry> &entries, const std::string &version)
{
	for (const auto &e : entries)
		if (e.version == version)
			return e;
	BOOST_FAIL("no changelog entry " + version);
	throw std::logic_error("unreachable");
}

using Strings = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(debian_changelog)

BOOST_AUTO_TEST_CASE(entries_and_the_upstream_releases_each_names)
{
	auto entries = parse_debian_changelog(fixture("linux-6.1-excerpt.changelog"));
	BOOST_REQUIRE(entries.size() == 12u);
	BOOST_TEST(entries[0].source == "linux-signed-amd64");
	BOOST_TEST(entries[0].version == "6.1.192+2");
	BOOST_TEST(entries[0].distribution == "bookworm-security");
	BOOST_TEST(entries[0].upstream_releases.empty());
	BOOST_TEST(entries[1].source == "linux");
	BOOST_TEST(entry(entries, "6.1.172-1").upstream_releases == (Strings{"6.1.171", "6.1.172"}),
		   boost::test_tools::per_element());
	BOOST_TEST(entry(entries, "6.1.170-1").upstream_releases ==
			   (Strings{"6.1.165", "6.1.166", "6.1.167", "6.1.168", "6.1.169", "6.1.170"}),
		   boost::test_tools::per_element());
	BOOST_TEST(entry(entries, "6.1.170-3").upstream_releases.empty());
	BOOST_TEST(entry(entries, "6.1.1-1~exp1").upstream_releases == (Strings{"6.1", "6.1.1"}),
		   boost::test_tools::per_element());
	BOOST_TEST(entry(entries, "6.1~rc8-1~exp1").upstream_releases == (Strings{"6.1-rc8"}),
		   boost::test_tools::per_element());
	BOOST_TEST(entry(entries, "5.14-1~exp1").upstream_releases == (Strings{"5.14"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(releases_between_two_builds_oldest_first)
{
	auto entries = parse_debian_changelog(fixture("linux-6.1-excerpt.changelog"));
	BOOST_TEST(upstream_releases_between(entries, "6.1.170", "6.1.172") == (Strings{"6.1.171", "6.1.172"}),
		   boost::test_tools::per_element());
	BOOST_TEST(upstream_releases_between(entries, "6.1.170", "6.1.170").empty());
	// Across series: the release candidate before its release, 5.10's own
	// stable updates (older than 5.10.262) left out.
	Strings across = upstream_releases_between(entries, "5.10.262", "6.1.1");
	BOOST_TEST(across == (Strings{"5.13.10", "5.13.11", "5.13.12", "5.14", "6.0.11", "6.0.12", "6.1-rc8", "6.1", "6.1.1"}),
		   boost::test_tools::per_element());
	BOOST_TEST(upstream_releases_between(entries, "6.0.12", "6.1~rc8") == (Strings{"6.1-rc8"}),
		   boost::test_tools::per_element());
	BOOST_TEST(debian_versions_between(entries, "6.1.170-1", "6.1.172-1") ==
			   (Strings{"6.1.170-2", "6.1.170-3", "6.1.172-1"}),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_backport_gets_the_releases_of_the_version_it_rebuilds)
{
	// linux (6.12.43-1) sorts after the backport 6.12.43-1~bpo12+1 but holds its releases.
	auto entries = parse_debian_changelog(fixture("linux-6.12-backports-excerpt.changelog"));
	BOOST_TEST(upstream_releases_between(entries, "6.12.38", "6.12.43") ==
			   (Strings{"6.12.39", "6.12.40", "6.12.41", "6.12.42", "6.12.43"}),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bare_version_lines_count_as_releases)
{
	std::string text = "linux (5.10.5-1) unstable; urgency=medium\n\n"
			   "  * New upstream stable update:\n"
			   "    5.10.4\n"
			   "    5.10.5\n"
			   "  * [rt] Update to 5.10.4-rt7\n\n"
			   " -- Someone <x@y>  Mon, 04 Jan 2021 00:00:00 +0100\n";
	auto entries = parse_debian_changelog(text);
	BOOST_REQUIRE(entries.size() == 1u);
	BOOST_TEST(entries[0].upstream_releases == (Strings{"5.10.4", "5.10.5"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_changelog_of_a_build_is_found_in_any_of_its_packages)
{
	fs::path root = fs::temp_directory_path() / ("xdplab-changelog-" + std::to_string(getpid()));
	fs::remove_all(root);
	fs::path doc = root / "usr/share/doc";
	// 7.x: the image's doc directory is a link to linux-base-'s.
	fs::create_directories(doc / "linux-base-7.2.13+deb14-amd64");
	std::ofstream(doc / "linux-base-7.2.13+deb14-amd64/changelog.Debian.gz") << "x";
	fs::create_directory_symlink("linux-base-7.2.13+deb14-amd64", doc / "linux-image-7.2.13+deb14-amd64");
	BOOST_TEST(find_build_changelog(root.string(), "linux-image-7.2.13+deb14-amd64") ==
		   (doc / "linux-image-7.2.13+deb14-amd64/changelog.Debian.gz").string());
	// A link to a package that was not unpacked: another package's file.
	fs::remove_all(root);
	fs::create_directories(doc / "linux-modules-6.18.15+deb13-amd64");
	std::ofstream(doc / "linux-modules-6.18.15+deb13-amd64/changelog.Debian.gz") << "x";
	fs::create_directory_symlink("linux-base-6.18.15+deb13-amd64", doc / "linux-image-6.18.15+deb13-amd64");
	BOOST_TEST(find_build_changelog(root.string(), "linux-image-6.18.15+deb13-amd64") ==
		   (doc / "linux-modules-6.18.15+deb13-amd64/changelog.Debian.gz").string());
	fs::remove_all(root);
	fs::create_directories(doc / "linux-image-5.10.0-46-amd64");
	BOOST_TEST(find_build_changelog(root.string(), "linux-image-5.10.0-46-amd64").empty());
	fs::remove_all(root);
}

BOOST_AUTO_TEST_SUITE_END()
