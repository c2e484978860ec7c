// The commands that read Debian's kernel archive and run nothing: the builds
// that can be fetched, and the basis of the commits the expectations cite.
#pragma once
#include "options.h"

namespace xdplab::cli {

// `--list-kernels`. Exit code: 0, or 2 when the archive cannot be read.
int list_kernels(const Options &o);

// `xdplab basis`. Exit code: basis_command's, 2 when it fails, 3 not root.
int basis(const Options &o);

} // namespace xdplab::cli
