// A map of a loaded object, read whole and decoded with the object's BTF:
// what the `read` step and the case's `read:` put into the evidence.
#pragma once
#include "case_object.h"

#include <string>

namespace xdplab {

// A map's entries, decoded: [{key, value}], per-CPU values summed over CPUs.
json dump_map(const CaseObject &obj, const std::string &map);

} // namespace xdplab
