#include "lint_command.h"
#include "../basis/basis_command.h"
#include "exit_codes.h"

#include <iostream>

namespace xdplab::cli {

int lint(const Options &o, const std::vector<CatalogEntry> &catalog)
{
	auto problems = lint_catalog(catalog);
	std::vector<const ExpectationFile *> files;
	for (const auto &e : catalog)
		files.push_back(&e.expectations);
	size_t warnings = 0;
	for (auto &f : lint_catalog_boundaries(files, o.expectations_dir, o.kernel_cache)) {
		if (f.error)
			problems.push_back(std::move(f.message));
		else
			std::cerr << "xdplab: lint: warning: " << f.message << "\n", ++warnings;
	}
	for (const auto &p : problems)
		std::cerr << "xdplab: lint: " << p << "\n";
	std::cout << "lint: " << catalog.size() << " expectation files, " << problems.size()
		  << " problem(s), " << warnings << " warning(s)\n";
	return problems.empty() ? 0 : kExitConfig;
}

} // namespace xdplab::cli
