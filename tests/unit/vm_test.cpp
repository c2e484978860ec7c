#include "harness/vm/initramfs.h"
#include "harness/vm/kernel_images.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

BOOST_AUTO_TEST_SUITE(vm_guest)

BOOST_AUTO_TEST_CASE(base64_decodes_with_line_breaks_and_padding)
{
	BOOST_TEST(base64_decode("aGVsbG8=") == "hello");
	BOOST_TEST(base64_decode("eyJhIjogMX0K\r\n") == "{\"a\": 1}\n");
	BOOST_TEST(base64_decode("YW\nJj") == "abc");
	BOOST_CHECK_THROW(base64_decode("a$b"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(results_block_is_checked_and_decoded)
{
	// As the guest writes it (sha256 of "{\"a\": 1}\n", exit code 1), with the
	// tty's CR/LF translation and console noise around it.
	std::string json = "{\"a\": 1}\n";
	std::string sha = sha256_hex(json);
	std::string serial = "noise\r\nXDPLAB-RESULTS-BEGIN " + sha + " 1\r\neyJhIjogMX0K\r\nXDPLAB-RESULTS-END\r\n";
	GuestResults g = decode_results_block(serial);
	BOOST_TEST(g.json_text == json);
	BOOST_TEST(g.exit_code == 1);

	std::string corrupt = serial;
	corrupt.replace(corrupt.find("eyJh"), 4, "eyJi");
	BOOST_CHECK_THROW(decode_results_block(corrupt), std::runtime_error);
	BOOST_CHECK_THROW(decode_results_block("XDPLAB-RESULTS-BEGIN " + sha + " 0\neyJhIjogMX0K\n"), std::runtime_error);
	BOOST_CHECK_THROW(decode_results_block("[ 1.0] Kernel panic - not syncing"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(init_runs_the_harness_and_reports_on_ttyS1)
{
	std::string init = guest_init_script({"egress-ifindex", "--packets", "8"}, true);
	BOOST_TEST(init.rfind("#!/bin/busybox sh", 0) == 0);
	BOOST_TEST(init.find("insmod /lib/modules/veth.ko") != std::string::npos);
	BOOST_TEST(init.find("/xdplab/xdplab --expectations /xdplab/experiments --json /tmp/results.json "
			     "egress-ifindex --packets 8") != std::string::npos);
	BOOST_TEST(init.find("> /dev/ttyS1") != std::string::npos);
	BOOST_TEST(init.find("poweroff -f") != std::string::npos);
	BOOST_TEST(guest_init_script({}, false).find("insmod") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(newest_kernel_package_by_version_not_by_text)
{
	BOOST_TEST(package_version_less("linux-image-6.1.0-9-amd64", "linux-image-6.1.0-56-amd64"));
	BOOST_TEST(!package_version_less("linux-image-6.1.0-56-amd64", "linux-image-6.1.0-9-amd64"));
	BOOST_TEST(package_version_less("linux-image-6.12.9+deb12-amd64", "linux-image-6.12.117+deb12-amd64"));
	BOOST_TEST(!package_version_less("linux-image-6.12.117+deb12-amd64", "linux-image-6.12.117+deb12-amd64"));
}

BOOST_AUTO_TEST_SUITE_END()
