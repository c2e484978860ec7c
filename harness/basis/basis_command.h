// `xdplab basis` and the boundary part of `--lint`: the registry of cited
// commits (<expectations>/_commits.yaml) and the basis computed from Debian's
// changelogs. `basis` writes it to the kernel cache (<kernel cache>/basis.json);
// a snapshot is kept beside the expectations (<expectations>/_basis.json,
// refreshed by `basis --save`) so that the lint works offline on a fresh clone
// and a reader sees the evidence in the tree. The lint reads the kernel
// cache's copy when there is one, else the snapshot.
#pragma once
#include "../expectations.h"
#include "boundary_lint.h"

#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

std::string commit_registry_path(const std::string &expectations_dir);
std::string basis_snapshot_path(const std::string &expectations_dir);
std::string basis_cache_path_in(const std::string &kernel_cache);

// Reads the changelogs (downloading what the kernel cache lacks), writes the
// kernel cache's basis, the snapshot too when `save`, and a copy at json_path
// if set; prints the table. Returns an exit code.
int basis_command(const std::string &expectations_dir, const std::string &kernel_cache, const std::string &json_path,
		  bool save, std::ostream &out, std::ostream &err);

// lint_boundaries over every file, from the registry and the basis (the
// kernel cache's, else the snapshot); neither is one warning (run `basis`).
std::vector<LintFinding> lint_catalog_boundaries(const std::vector<const ExpectationFile *> &files,
						 const std::string &expectations_dir, const std::string &kernel_cache);

} // namespace xdplab
