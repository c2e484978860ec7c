// Results as the table a run prints on the terminal.
#pragma once
#include "../results.h"

#include <ostream>

namespace xdplab {

void print_table(std::ostream &out, const RunResults &r);

} // namespace xdplab
