#include "harness/kernel_version.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

BOOST_AUTO_TEST_SUITE(kernel_version)

BOOST_AUTO_TEST_CASE(parses_release_strings)
{
	auto v = parse_kernel_version("6.18.44-fc-v657");
	BOOST_REQUIRE(v);
	BOOST_TEST(v->str() == "6.18.44");
	BOOST_TEST(parse_kernel_version("5.8.0-45-generic")->str() == "5.8.0");
	BOOST_TEST(parse_kernel_version("6.1")->str() == "6.1.0");
	BOOST_TEST(!parse_kernel_version("linux"));
	BOOST_TEST(!parse_kernel_version(""));
}

BOOST_AUTO_TEST_CASE(debian_uname_version_gives_the_real_patch_level)
{
	auto v = effective_kernel_version("6.1.0-50-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-01)", "");
	BOOST_TEST(v.str() == "6.1.158");
	// A version string naming another series is not trusted.
	BOOST_TEST(effective_kernel_version("6.12.0-1-amd64", "#1 SMP Debian 6.1.158-1", "").str() == "6.12.0");
}

BOOST_AUTO_TEST_CASE(ubuntu_version_signature_gives_the_real_patch_level)
{
	// Ubuntu's uname -v has only its build number; /proc/version_signature ends with upstream's version.
	auto v = effective_kernel_version("5.15.0-91-generic", "#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023",
					  "Ubuntu 5.15.0-91.101-generic 5.15.131");
	BOOST_TEST(v.str() == "5.15.131");
	BOOST_TEST(effective_kernel_version("6.8.0-49-generic", "#49~22.04.1-Ubuntu SMP PREEMPT_DYNAMIC",
					    "Ubuntu 6.8.0-49.49~22.04.1-generic 6.8.12\n")
			   .str() == "6.8.12");
	// Without the file (or with another series in it) the release is all there is.
	BOOST_TEST(effective_kernel_version("5.15.0-91-generic", "#101-Ubuntu SMP", "").str() == "5.15.0");
	BOOST_TEST(effective_kernel_version("5.15.0-91-generic", "#101-Ubuntu SMP", "Ubuntu 6.1.0-1.1-generic 6.1.5")
			   .str() == "5.15.0");
}

BOOST_AUTO_TEST_CASE(plain_kernels_are_their_release)
{
	BOOST_TEST(effective_kernel_version("6.18.44-fc-v657", "#1 SMP PREEMPT_DYNAMIC @0", "").str() == "6.18.44");
	BOOST_TEST(effective_kernel_version("5.10.240", "#1 SMP Tue Jul 1 2025", "").str() == "5.10.240");
	// A stray signature file that is not Ubuntu's format changes nothing.
	BOOST_TEST(effective_kernel_version("6.6.100", "#1 SMP", "something else 6.6.1").str() == "6.6.100");
}

BOOST_AUTO_TEST_CASE(ranges_are_half_open)
{
	VersionRange r{KernelVersion{5, 14, 0}, KernelVersion{6, 12, 0}};
	BOOST_TEST(!r.contains({5, 13, 99}));
	BOOST_TEST(r.contains({5, 14, 0}));
	BOOST_TEST(r.contains({6, 11, 9}));
	BOOST_TEST(!r.contains({6, 12, 0}));
	BOOST_TEST(r.str() == ">=5.14 <6.12");
	VersionRange open_end{KernelVersion{6, 12, 0}, std::nullopt};
	BOOST_TEST(open_end.contains({7, 0, 0}));
	BOOST_TEST(open_end.str() == ">=6.12");
	BOOST_TEST((VersionRange{KernelVersion{5, 15, 170}, std::nullopt}.str() == ">=5.15.170"));
}

BOOST_AUTO_TEST_SUITE_END()
