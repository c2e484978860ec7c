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
	BOOST_TEST(tcg.vcpus == 2);

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

namespace {

// A scratch directory tree, gone at the end of the test.
struct TempTree {
	fs::path root;
	TempTree()
	{
		root = fs::temp_directory_path() / ("xdplab-vm-test-" + std::to_string(getpid()));
		fs::remove_all(root);
		fs::create_directories(root);
	}
	~TempTree() { fs::remove_all(root); }
	fs::path file(const std::string &rel, const std::string &text = "x")
	{
		fs::path p = root / rel;
		fs::create_directories(p.parent_path());
		std::ofstream(p) << text;
		return p;
	}
};

} // namespace

BOOST_AUTO_TEST_CASE(image_and_modules_in_the_boot_layout)
{
	TempTree t;
	t.file("pkg/boot/vmlinuz-5.10.0-46-amd64");
	t.file("pkg/boot/config-5.10.0-46-amd64", "CONFIG_VETH=m\n");
	fs::path veth = t.file("pkg/lib/modules/5.10.0-46-amd64/kernel/drivers/net/veth.ko");
	KernelImage k = kernel_in_tree((t.root / "pkg").string());
	BOOST_TEST(k.bzimage == (t.root / "pkg/boot/vmlinuz-5.10.0-46-amd64").string());
	BOOST_TEST(k.modules_dir == (t.root / "pkg/lib/modules/5.10.0-46-amd64").string());
	BOOST_TEST(find_module(k, "veth") == veth.string());
	BOOST_TEST(require_module(k, "veth") == veth.string());

	// The same tree given as a user's image.
	KernelImage u = user_kernel((t.root / "pkg/boot/vmlinuz-5.10.0-46-amd64").string());
	BOOST_TEST(u.label == "image:vmlinuz-5.10.0-46-amd64");
	BOOST_TEST(u.modules_dir == k.modules_dir);

	// Without the module, and with a config that builds it as one: an error naming the paths.
	fs::remove(veth);
	try {
		user_kernel((t.root / "pkg/boot/vmlinuz-5.10.0-46-amd64").string());
		BOOST_FAIL("no error for a kernel without veth");
	} catch (const std::runtime_error &x) {
		std::string what = x.what();
		BOOST_TEST(what.find("no veth module") != std::string::npos);
		BOOST_TEST(what.find(k.modules_dir) != std::string::npos);
		BOOST_TEST(what.find((t.root / "pkg/boot/config-5.10.0-46-amd64").string()) != std::string::npos);
	}
	// Built in: nothing to load, no error.
	t.file("pkg/boot/config-5.10.0-46-amd64", "CONFIG_VETH=y\n");
	BOOST_TEST(require_module(k, "veth") == "");
}

BOOST_AUTO_TEST_CASE(image_and_modules_in_the_usr_lib_modules_layout)
{
	TempTree t;
	t.file("pkg/usr/lib/modules/7.2.13+deb14-amd64/vmlinuz");
	fs::path veth = t.file("pkg/usr/lib/modules/7.2.13+deb14-amd64/kernel/drivers/net/veth.ko.xz");
	KernelImage k = kernel_in_tree((t.root / "pkg").string());
	BOOST_TEST(k.bzimage == (t.root / "pkg/usr/lib/modules/7.2.13+deb14-amd64/vmlinuz").string());
	BOOST_TEST(k.modules_dir == (t.root / "pkg/usr/lib/modules/7.2.13+deb14-amd64").string());
	BOOST_TEST(find_module(k, "veth") == veth.string());
	BOOST_TEST(user_kernel(k.bzimage).modules_dir == k.modules_dir);

	// Built in according to modules.builtin: no module needed.
	fs::remove(veth);
	BOOST_CHECK_THROW(require_module(k, "veth"), std::runtime_error);
	t.file("pkg/usr/lib/modules/7.2.13+deb14-amd64/modules.builtin", "kernel/drivers/net/veth.ko\n");
	BOOST_TEST(require_module(k, "veth") == "");

	BOOST_CHECK_THROW(kernel_in_tree((t.root / "empty").string()), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(user_image_beside_usr_lib_modules)
{
	TempTree t;
	fs::path image = t.file("build/out/bzImage");
	fs::path veth = t.file("build/usr/lib/modules/7.3.0-rc7/kernel/drivers/net/veth.ko.zst");
	KernelImage k = user_kernel(image.string());
	BOOST_TEST(k.modules_dir == (t.root / "build/usr/lib/modules/7.3.0-rc7").string());
	BOOST_TEST(find_module(k, "veth") == veth.string());

	// Two module trees and an image that does not say which: named in the error.
	t.file("build/lib/modules/6.1.0/kernel/drivers/net/veth.ko");
	try {
		user_kernel(image.string());
		BOOST_FAIL("no error for an ambiguous modules tree");
	} catch (const std::runtime_error &x) {
		std::string what = x.what();
		BOOST_TEST(what.find((t.root / "build/lib/modules").string() + "/*") != std::string::npos);
		BOOST_TEST(what.find("2 trees there") != std::string::npos);
	}
	// A kernel build tree with veth built in needs no modules at all.
	fs::path tree_image = t.file("linux/arch/x86/boot/bzImage");
	t.file("linux/.config", "# CONFIG_VETH is not set\n");
	BOOST_CHECK_THROW(user_kernel(tree_image.string()), std::runtime_error);
	t.file("linux/.config", "CONFIG_VETH=y\n");
	BOOST_TEST(user_kernel(tree_image.string()).modules_dir == "");
	BOOST_CHECK_THROW(user_kernel((t.root / "missing/bzImage").string()), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(kernel_aliases)

namespace {
xdplab::DebianKernel kernel(const std::string &upstream, std::vector<std::string> missing = {})
{
	xdplab::DebianKernel k;
	k.package = "linux-image-" + upstream + "-amd64";
	k.version = upstream + "-1";
	k.upstream = upstream;
	k.missing = std::move(missing);
	return k;
}
} // namespace

BOOST_AUTO_TEST_CASE(all_lts_and_newest_name_what_the_archive_carries)
{
	using namespace xdplab;
	std::vector<DebianKernel> archive{kernel("5.10.262"), kernel("6.1.192"), kernel("6.12.117"), kernel("6.12.43"),
					  kernel("7.1.13", {"linux-modules-7.1.13+deb13-amd64"}),
					  kernel("6.18.15", {"linux-base-6.18.15+deb13-amd64"}), kernel("7.2.13"),
					  kernel("7.3~rc7")};
	// A build without its modules cannot boot a guest: 7.1 is left out; a missing
	// linux-base only costs the config: 6.18 stays.
	BOOST_TEST(expand_kernel_requests({"all"}, archive) ==
		   (std::vector<std::string>{"5.10", "6.1", "6.12", "6.18", "7.2", "7.3-rc7", "host"}));
	BOOST_TEST(expand_kernel_requests({"lts", "newest"}, archive) ==
		   (std::vector<std::string>{"5.10", "6.1", "6.12", "7.2", "7.3-rc7"}));
	// Plain requests pass through, each once.
	BOOST_TEST(expand_kernel_requests({"6.1", "lts", "host"}, archive) ==
		   (std::vector<std::string>{"6.1", "5.10", "6.12", "host"}));
	BOOST_TEST(kernel_alias("all"));
	BOOST_TEST(!kernel_alias("6.1"));
	BOOST_CHECK_NO_THROW(check_kernel_request("newest"));
	BOOST_CHECK_THROW(check_kernel_request("latest"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
