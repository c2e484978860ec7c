#include "archive_commands.h"
#include "../basis/basis_command.h"
#include "../vm/kernel_request.h"
#include "exit_codes.h"
#include "inputs.h"

#include <cstdio>
#include <iostream>

namespace xdplab::cli {

int list_kernels(const Options &o)
{
	try {
		auto kernels = list_debian_kernels(o.kernel_cache);
		std::cout << "SERIES  UPSTREAM        PACKAGE                                   DEBIAN VERSION          SUITES\n";
		for (const auto &k : kernels) {
			// Which part the archive no longer has, and whether the build still boots with veth.
			std::string note;
			if (!k.missing.empty()) {
				std::string parts;
				for (const auto &m : k.missing)
					parts += (parts.empty() ? "" : ", ") + m;
				note = "  (the archive no longer has " + parts +
				       (lacks_kernel_or_modules(k) ? ": no kernel binary or modules (no veth), not bootable here)"
								   : ": kernel and modules are in the image, bootable)");
			}
			printf("%-7s %-15s %-41s %-23s %s%s\n", kernel_series(k.upstream).c_str(), k.upstream.c_str(),
			       k.package.c_str(), k.version.c_str(), k.suite.c_str(), note.c_str());
		}
		std::cout << std::flush;
		return 0;
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return 2;
	}
}

int basis(const Options &o)
{
	if (!require_root("basis reads Debian's packages through the harness's apt under the kernel cache"))
		return kExitConfig;
	try {
		return basis_command(o.expectations_dir, o.kernel_cache, o.basis_json, o.basis_save, std::cout, std::cerr);
	} catch (const std::exception &e) {
		std::cerr << "xdplab: basis: " << e.what() << "\n";
		return 2;
	}
}

} // namespace xdplab::cli
