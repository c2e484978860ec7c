// What is checked and settled before any work: root, every input named on the
// command line, and the kernel aliases expanded into builds.
#pragma once
#include "../engine/runner.h"
#include "options.h"

#include <vector>

namespace xdplab::cli {

// False, having said why root is needed, when not running as root.
bool require_root(const char *what);

// Throws ConfigError for the first input that cannot work.
void validate_inputs(const Options &o);

// Replaces the aliases in o.kernels by the builds they name today, and says which.
void expand_aliases(Options &o, const std::vector<CatalogEntry> &catalog);

} // namespace xdplab::cli
