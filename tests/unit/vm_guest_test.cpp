// The guest's side: its /init, the arguments and timing it gets, and the results block it sends back.
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

	// Compressed, as the guest sends it ("gzip -c | base64"); a cut stream is refused.
	std::string gz = "H4sIAAAAAAAAA6tWSlSyUjCs5QIA+qFHXAkAAAA=";
	GuestResults z = decode_results_block("XDPLAB-RESULTS-BEGIN " + sha + " 0 gzip\r\n" + gz + "\r\nXDPLAB-RESULTS-END\r\n");
	BOOST_TEST(z.json_text == json);
	BOOST_CHECK_THROW(decode_results_block("XDPLAB-RESULTS-BEGIN " + sha + " 0 gzip\n" + gz.substr(0, 20) +
					       "\nXDPLAB-RESULTS-END\n"),
			  std::runtime_error);
}

BOOST_AUTO_TEST_CASE(init_runs_the_harness_and_reports_on_ttyS1)
{
	const std::string &init = guest_init_text();
	BOOST_TEST(init.rfind("#!/bin/busybox sh", 0) == 0);
	BOOST_TEST(init.find("for m in veth sch_ingress cls_bpf; do") != std::string::npos);
	BOOST_TEST(init.find("insmod /lib/modules/$m.ko") != std::string::npos);
	BOOST_TEST(init.find("/xdplab/xdplab --expectations /xdplab/experiments --json /tmp/results.json $extra \"$@\"") !=
		   std::string::npos);
	BOOST_TEST(init.find("> /dev/ttyS1") != std::string::npos);
	BOOST_TEST(init.find("poweroff -f") != std::string::npos);
	// The built-in text is the file in the tree, byte for byte.
	std::ifstream f(XDPLAB_SOURCE_DIR "/harness/vm/guest_init.sh", std::ios::binary);
	BOOST_TEST(init == std::string(std::istreambuf_iterator<char>(f), {}));
}

// The harness's arguments reach it word for word, spaces kept: the init's own
// loop, run by a shell over the file the host writes.
BOOST_AUTO_TEST_CASE(arguments_reach_the_guest_harness_word_for_word)
{
	BOOST_CHECK_THROW(guest_args_file({"a\nb"}), std::runtime_error);
	const std::string &init = guest_init_text();
	auto from = init.find("set --\n");
	auto to = init.find("\nfi\n", from);
	BOOST_REQUIRE(from != std::string::npos && to != std::string::npos);
	std::string loop = init.substr(from, to + 3 - from);
	auto at = loop.find("/xdplab/args");
	while (at != std::string::npos) {
		loop.replace(at, std::string("/xdplab/args").size(), "\"$0\"");
		at = loop.find("/xdplab/args");
	}
	char path[] = "/tmp/xdplab-args-XXXXXX";
	int fd = mkstemp(path);
	BOOST_REQUIRE(fd >= 0);
	std::string args = guest_args_file({"case", "/xdplab/cases/0/my case.yaml", "--packets", "8"});
	BOOST_REQUIRE(write(fd, args.data(), args.size()) == static_cast<ssize_t>(args.size()));
	close(fd);
	auto out = run_checked({"sh", "-c", loop + "\nprintf '[%s]' \"$@\"", path});
	unlink(path);
	BOOST_TEST(out.output == "[case][/xdplab/cases/0/my case.yaml][--packets][8]", "got " << out.output << " from " << loop);
}

// The timing travels on the kernel command line; the init's extraction of it,
// run by a shell on a command line like qemu's.
BOOST_AUTO_TEST_CASE(guest_timing_reaches_the_harness_through_the_command_line)
{
	GuestTiming tcg = guest_timing(Accel::Tcg, 100, 3000, 93);
	GuestTiming kvm = guest_timing(Accel::Kvm, 100, 3000, 93);
	BOOST_TEST(tcg.settle_ms > kvm.settle_ms);
	BOOST_TEST(kvm.settle_ms > 100);
	BOOST_TEST(tcg.timeout_ms > kvm.timeout_ms);
	BOOST_TEST(tcg.vm_timeout_s > guest_timing(Accel::Tcg, 100, 3000, 1).vm_timeout_s);
	BOOST_TEST(tcg.vcpus == 1); // the vCPUs of a TCG guest share one host thread
	BOOST_TEST(kvm.vcpus == 2);

	const std::string &init = guest_init_text();
	auto from = init.find("extra=");
	std::string line = init.substr(from, init.find('\n', from) - from);
	auto at = line.find("/proc/cmdline");
	line.replace(at, std::string("/proc/cmdline").size(), "\"$0\"");
	char path[] = "/tmp/xdplab-cmdline-XXXXXX";
	int fd = mkstemp(path);
	BOOST_REQUIRE(fd >= 0);
	std::string cmdline = "console=ttyS0 panic=-1 xdplab.args=--settle-ms,500,--timeout-ms,30000 quiet\n";
	BOOST_REQUIRE(write(fd, cmdline.data(), cmdline.size()) == static_cast<ssize_t>(cmdline.size()));
	close(fd);
	auto out = run_checked({"sh", "-c", line + "; echo \"[$extra]\"", path});
	unlink(path);
	BOOST_TEST(out.output.find("[--settle-ms 500 --timeout-ms 30000]") == 0, "got [" << out.output << "] from " << line);
}

BOOST_AUTO_TEST_SUITE_END()
