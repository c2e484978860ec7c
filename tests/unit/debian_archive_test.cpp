// Debian's archive as the harness reads it: mirrors, control stanzas, versions, kernel requests and the kernels on offer.
#include "netns/command.h"
#include "harness/vm/debian_control.h"
#include "harness/vm/debian_mirrors.h"
#include "harness/vm/guest_timing.h"
#include "harness/vm/initramfs.h"
#include "harness/vm/kernel_images.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace xdplab;
namespace fs = std::filesystem;


BOOST_AUTO_TEST_SUITE(debian_archive)

BOOST_AUTO_TEST_CASE(mirrors_from_the_hosts_deb822_sources)
{
	// As Debian 12 installs it, with a third-party and a disabled stanza around.
	std::string text = "Types: deb\n"
			   "URIs: https://vendor.invalid/linux/debian\n"
			   "Suites: bookworm\n"
			   "Components: stable\n"
			   "\n"
			   "Types: deb\n"
			   "# a comment between fields\n"
			   "URIs: http://mirror.invalid/debian\n"
			   "Suites: bookworm bookworm-updates\n"
			   "Components: main\n"
			   "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
			   "\n"
			   "Types: deb\n"
			   "URIs: http://old.invalid/debian-security\n"
			   "Suites: bookworm-security\n"
			   "Components: main\n"
			   "Enabled: no\n"
			   "\n"
			   "Types: deb deb-src\n"
			   "URIs: http://mirror.invalid/debian-security\n"
			   "Suites: bookworm-security\n"
			   "Components: main contrib\n";
	DebianMirrors m = mirrors_from_deb822(text);
	BOOST_TEST(m.archive == "http://mirror.invalid/debian");
	BOOST_TEST(m.security == "http://mirror.invalid/debian-security");

	DebianMirrors none = mirrors_from_deb822("Types: deb-src\nURIs: http://mirror.invalid/debian\nSuites: sid\n"
						 "Components: main\n");
	BOOST_TEST(none.archive.empty());
	BOOST_TEST(none.security.empty());
}

BOOST_AUTO_TEST_CASE(mirrors_from_a_one_line_sources_list)
{
	std::string text = "# deb http://commented.invalid/debian bookworm main\n"
			   "deb [arch=amd64 signed-by=/etc/apt/keyrings/vendor.gpg] https://vendor.invalid/debian bookworm stable\n"
			   "deb [ signed-by=/usr/share/keyrings/debian-archive-keyring.gpg ] http://mirror.invalid/debian bookworm main\n"
			   "deb-src http://src.invalid/debian bookworm main\n"
			   "deb http://mirror.invalid/debian-security bookworm-security main contrib\n";
	DebianMirrors m = mirrors_from_sources_list(text);
	BOOST_TEST(m.archive == "http://mirror.invalid/debian");
	BOOST_TEST(m.security == "http://mirror.invalid/debian-security");
}

BOOST_AUTO_TEST_CASE(private_sources_cover_every_kernel_suite)
{
	std::string k = "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ";
	std::string a = "http://mirror.invalid/debian", s = "http://mirror.invalid/debian-security";
	BOOST_TEST(private_sources_list({a, s}) == k + a + " bullseye main\n" +
							  k + s + " bullseye-security main\n" +
							  k + a + " bookworm main\n" +
							  k + s + " bookworm-security main\n" +
							  k + a + " bookworm-backports main\n" +
							  k + a + " trixie main\n" +
							  k + s + " trixie-security main\n" +
							  k + a + " trixie-backports main\n" +
							  k + a + " sid main\n" +
							  k + a + " experimental main\n");
	// No security mirror configured: the security suites are left out.
	BOOST_TEST(private_sources_list({a, ""}).find("-security") == std::string::npos);
}

// apt-cache show's stanzas and Depends fields, as libapt-pkg reads them.
BOOST_AUTO_TEST_CASE(control_stanzas_and_depends_as_apt_reads_them)
{
	std::string text = "Package: linux-image-6.12.43+deb12-amd64\n"
			   "Version: 6.12.43-1~bpo12+1\n"
			   "depends: linux-binary-6.12.43+deb12-amd64 (= 6.12.43-1~bpo12+1),\n"
			   " linux-base (>= 4.3~) | linux-initramfs-tool, kmod:any\n"
			   "Description: Linux 6.12\n"
			   "# a comment line\n"
			   "\n"
			   "\n"
			   "Package: linux-image-6.1.0-41-amd64\r\n"
			   "Version: 6.1.158-1\r\n";
	auto stanzas = deb822_stanzas(text, {"Package", "Version", "Depends"});
	BOOST_REQUIRE_EQUAL(stanzas.size(), 2u);
	BOOST_TEST(stanzas[0]["Version"] == "6.12.43-1~bpo12+1");
	BOOST_TEST(stanzas[1]["Package"] == "linux-image-6.1.0-41-amd64");
	BOOST_TEST(stanzas[1]["Depends"] == "");
	auto deps = parse_depends(stanzas[0]["Depends"]);
	BOOST_REQUIRE_EQUAL(deps.size(), 4u);
	BOOST_TEST(deps[0].name == "linux-binary-6.12.43+deb12-amd64");
	BOOST_TEST(deps[0].version == "6.12.43-1~bpo12+1"); // exact: kept
	BOOST_TEST(deps[1].name == "linux-base");
	BOOST_TEST(deps[1].version == ""); // a lower bound is not a version to fetch
	BOOST_TEST(deps[2].name == "linux-initramfs-tool");
	BOOST_TEST(deps[3].name == "kmod");
	BOOST_CHECK_THROW(parse_depends("linux-base (>= "), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(debian_versions_in_dpkg_order)
{
	BOOST_TEST(debian_version_compare("6.1.27-1", "6.1.192-2") < 0);
	BOOST_TEST(debian_version_compare("7.3~rc7-1~exp1", "7.3-1") < 0);
	BOOST_TEST(debian_version_compare("6.12.43-1~bpo12+1", "6.12.43-1") < 0);
	BOOST_TEST(debian_version_compare("1:5.0-1", "6.1-1") > 0);
	BOOST_TEST(debian_version_compare("6.12.117-1", "6.12.117-1") == 0);
	BOOST_TEST(upstream_version("6.12.43-1~bpo12+1") == "6.12.43");
	BOOST_TEST(upstream_version("7.3~rc7-1~exp1") == "7.3~rc7");
	BOOST_TEST(upstream_version("1:6.1.192-2") == "6.1.192");
}

namespace {

DebianKernel kernel(const std::string &package, const std::string &version, bool is_signed = true)
{
	return {package, version, upstream_version(version), "", is_signed, {}};
}

} // namespace

BOOST_AUTO_TEST_CASE(candidates_ordered_by_upstream_version_not_by_name)
{
	std::vector<DebianKernel> ks = {
		kernel("linux-image-6.12.117+deb12-amd64", "6.12.117-1~deb12u1"),
		kernel("linux-image-7.2-amd64", "7.2~rc7-1~exp1"),
		kernel("linux-image-6.1.0-9-amd64", "6.1.27-1"),
		kernel("linux-image-6.12.9+deb13-amd64", "6.12.9-1"),
		kernel("linux-image-5.10.0-32-amd64", "5.10.223-1"),
		kernel("linux-image-6.1.0-56-amd64", "6.1.192-2"),
	};
	std::sort(ks.begin(), ks.end(), kernel_older);
	std::vector<std::string> order;
	for (const auto &k : ks)
		order.push_back(k.package);
	std::vector<std::string> want = {"linux-image-5.10.0-32-amd64",	 "linux-image-6.1.0-9-amd64",
					 "linux-image-6.1.0-56-amd64",	 "linux-image-6.12.9+deb13-amd64",
					 "linux-image-6.12.117+deb12-amd64", "linux-image-7.2-amd64"};
	BOOST_TEST(order == want, boost::test_tools::per_element());
	// The same upstream version built for two releases: the higher Debian version.
	BOOST_TEST(kernel_older(kernel("linux-image-6.12.117+deb12-amd64", "6.12.117-1~deb12u1"),
				kernel("linux-image-6.12.117+deb13-amd64", "6.12.117-1")));
}

BOOST_AUTO_TEST_CASE(kernel_requests_series_exact_or_invalid)
{
	KernelRequest s = parse_kernel_request("6.1");
	BOOST_TEST(s.version == "6.1");
	BOOST_TEST(!s.exact);
	KernelRequest e = parse_kernel_request("6.12.43");
	BOOST_TEST(e.version == "6.12.43");
	BOOST_TEST(e.exact);
	BOOST_TEST(parse_kernel_request("7.3-rc7").version == "7.3~rc7");
	for (const char *bad : {"", "6", "v6.1", "6.1.", "6.1.0-56-amd64", "linux-image-6.1", "6.x", " 6.1", "host"})
		BOOST_CHECK_THROW(check_kernel_request(bad), std::invalid_argument);
	try {
		check_kernel_request("6");
		BOOST_FAIL("no error for \"6\"");
	} catch (const std::invalid_argument &x) {
		BOOST_TEST(std::string(x.what()).find("\"6\": expected a series like 6.1") != std::string::npos);
	}

	auto k612 = kernel("linux-image-6.12.43+deb12-amd64", "6.12.43-1~bpo12+1");
	BOOST_TEST(request_matches(parse_kernel_request("6.12"), k612));
	BOOST_TEST(request_matches(e, k612));
	BOOST_TEST(!request_matches(s, k612)); // 6.1 is not 6.12
	BOOST_TEST(request_matches(parse_kernel_request("7.3"), kernel("linux-image-7.3-amd64", "7.3~rc7-1~exp1")));
}

BOOST_AUTO_TEST_CASE(kernels_from_apt_stanzas)
{
	std::vector<DebianArchive::Stanza> st = {
		{"linux-image-6.1.0-56-amd64", "6.1.192-2", {{"kmod", ""}, {"linux-base", ""}}},
		{"linux-image-6.1.0-57-amd64-unsigned", "6.1.193-1", {{"kmod", ""}}},
		{"linux-image-6.1-amd64", "6.1.180-1~deb11u1", {{"linux-image-6.1.0-0.deb11.52-amd64", "6.1.180-1~deb11u1"}}},
		{"linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", {}},
		{"linux-image-6.1.0-56-amd64-dbg", "6.1.192-2", {}},
		{"linux-image-5.10.0-46-amd64-unsigned", "5.10.262-1", {}},
		{"linux-image-7.2.13+deb14-amd64",
		 "7.2.13-1",
		 {{"dracut", ""}, {"initramfs-tools", ""}, {"linux-binary-7.2.13+deb14-amd64", "7.2.13-1"}}},
	};
	std::vector<DebianArchive::Offer> offers = {
		{"linux-image-6.1.0-56-amd64", "6.1.192-2", "bookworm-security"},
		{"linux-image-6.1.0-56-amd64", "6.1.192-2", "trixie"},
		{"linux-image-7.2.13+deb14-amd64", "7.2.13-1", "sid"},
	};
	auto ks = kernels_from_stanzas(st, offers);
	std::vector<std::string> names;
	for (const auto &k : ks)
		names.push_back(k.package);
	std::vector<std::string> want = {"linux-image-7.2.13+deb14-amd64", "linux-image-6.1.0-57-amd64-unsigned",
					 "linux-image-6.1.0-56-amd64", "linux-image-5.10.0-46-amd64-unsigned"};
	BOOST_TEST(names == want, boost::test_tools::per_element());
	BOOST_TEST(ks[0].depends[2].name == "linux-binary-7.2.13+deb14-amd64");
	BOOST_TEST(ks[2].suite == "bookworm-security, trixie");
	BOOST_TEST(ks[2].upstream == "6.1.192");
	BOOST_TEST(!ks[1].is_signed);

	// Signed beats a newer unsigned build; unsigned only when there is nothing else.
	BOOST_TEST(choose_kernel(parse_kernel_request("6.1"), ks)->package == "linux-image-6.1.0-56-amd64");
	BOOST_TEST(choose_kernel(parse_kernel_request("5.10"), ks)->package == "linux-image-5.10.0-46-amd64-unsigned");
	BOOST_TEST(choose_kernel(parse_kernel_request("7.2.13"), ks)->package == "linux-image-7.2.13+deb14-amd64");
	BOOST_TEST(!choose_kernel(parse_kernel_request("6.12"), ks));
}

BOOST_AUTO_TEST_CASE(kernels_whose_build_packages_are_gone_come_last)
{
	// Backports keep images whose linux-modules- no suite carries any more.
	auto dep = [](const std::string &kind, const std::string &abi, const std::string &v) {
		return DebianArchive::PackageRef{"linux-" + kind + "-" + abi, v};
	};
	std::vector<DebianKernel> ks = {
		{"linux-image-7.1.13+deb13-amd64", "7.1.13-1~bpo13+1", "7.1.13", "trixie-backports", true,
		 {{"kmod", ""}, dep("binary", "7.1.13+deb13-amd64", "7.1.13-1~bpo13+1"),
		  dep("modules", "7.1.13+deb13-amd64", "7.1.13-1~bpo13+1")}, {}},
		{"linux-image-7.1.8+deb13-amd64", "7.1.8-1~bpo13+1", "7.1.8", "trixie-backports", true,
		 {dep("binary", "7.1.8+deb13-amd64", "7.1.8-1~bpo13+1"), dep("modules", "7.1.8+deb13-amd64", "7.1.8-1~bpo13+1"),
		  dep("modules", "7.1.8+deb13-cloud-amd64", "")}, {}},
		{"linux-image-5.10.0-46-amd64", "5.10.262-1", "5.10.262", "bullseye-security", true, {{"kmod", ""}}, {}},
	};
	mark_missing_packages(ks, {"linux-binary-7.1.13+deb13-amd64", "linux-binary-7.1.8+deb13-amd64",
				   "linux-modules-7.1.8+deb13-amd64", "linux-headers-7.1.13+deb13-amd64"});
	BOOST_TEST(ks[0].missing == std::vector<std::string>{"linux-modules-7.1.13+deb13-amd64"},
		   boost::test_tools::per_element());
	BOOST_TEST(ks[1].missing.empty()); // another flavour's modules are not this build's
	BOOST_TEST(ks[2].missing.empty());
	BOOST_TEST(choose_kernel(parse_kernel_request("7.1"), ks)->package == "linux-image-7.1.8+deb13-amd64");
	BOOST_TEST(choose_kernel(parse_kernel_request("7.1.13"), ks)->package == "linux-image-7.1.13+deb13-amd64");
}

BOOST_AUTO_TEST_SUITE_END()
