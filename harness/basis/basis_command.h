// `xdplab basis` and the boundary part of `--lint`: the registry of cited
// commits (<expectations>/_commits.yaml) and the basis computed from Debian's
// changelogs, kept beside the expectations (<expectations>/_basis.json) so that
// the lint works offline and a reader sees the evidence in the tree.
#pragma once
#include "../expectations.h"
#include "boundary_lint.h"

#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

std::string commit_registry_path(const std::string &expectations_dir);
std::string basis_cache_path(const std::string &expectations_dir);

// Reads the changelogs (downloading what the kernel cache lacks), writes the
// cache and, if json_path is set, a copy; prints the table. Returns an exit code.
int basis_command(const std::string &expectations_dir, const std::string &kernel_cache, const std::string &json_path,
		  std::ostream &out, std::ostream &err);

// lint_boundaries over every file, from the registry and the cached basis; a
// missing cache is one warning (run `basis`).
std::vector<LintFinding> lint_catalog_boundaries(const std::vector<const ExpectationFile *> &files,
						 const std::string &expectations_dir);

} // namespace xdplab
