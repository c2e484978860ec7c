// Results as JUnit XML, which CI systems show as test reports: one test case
// per subtest; deviates are failures, errors errors, skipped and unpinned
// skipped (unpinned is not a pass).
#pragma once
#include "../results.h"

#include <string>

namespace xdplab {

std::string to_junit(const RunResults &r);
// &, <, >, " escaped; other control characters become spaces (XML and HTML).
std::string markup_escape(const std::string &s);

} // namespace xdplab
