// Kernel images on disk (both module layouts, a user's own image) and the kernel aliases (all, lts, newest).
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


BOOST_AUTO_TEST_SUITE(kernel_images)

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
