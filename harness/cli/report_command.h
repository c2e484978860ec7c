// `xdplab report`: the matrix report, KTAP and KCIDB from result files
// already written.
#pragma once
#include "options.h"

namespace xdplab::cli {

// Exit code: the worst of the files' own, or 3 when there are none to read.
int report(const Options &o);

} // namespace xdplab::cli
