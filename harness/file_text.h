// A whole file as text: "" when it cannot be read (callers that must tell
// "missing" from "empty" check first).
#pragma once
#include <string>

namespace xdplab {

std::string read_file(const std::string &path);

} // namespace xdplab
