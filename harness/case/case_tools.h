// Steps that run real tools' traffic: iputils ping, and a TCP transfer.
#pragma once
#include "case_lab.h"

#include <string>
#include <vector>

namespace xdplab {

// ping's command line: -e ID makes its echo requests ours to account for.
// ping's own words (run inside the sender's namespace).
std::vector<std::string> ping_argv(const std::string &to, bool ipv6, int count, int id);

json ping_step(CaseLab &lab, const StepSpec &s);
json tcp_step(CaseLab &lab, const StepSpec &s);

} // namespace xdplab
