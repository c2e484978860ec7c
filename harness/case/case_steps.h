// The traffic of a case, one step at a time, each recorded under its name in
// the evidence's .steps:
//   frames    tagged frames from a link (UDP or ICMP, size, count), waited
//             for until every one is accounted for
//   ping      the real iputils ping, its echo requests accounted for one by
//             one; it is stopped once each has an end (no timeout waited out)
//   tcp       a TCP transfer of N bytes to an address of the case
//   test_run  BPF_PROG_TEST_RUN of a program on tagged frames (retval)
//   sysctl    sysctls written inside namespaces, between other steps
//   read      a map's contents at that moment
//   mtu_limit the largest MTU of a link at which a program attaches to
//             another (its peer by default), found by bisection
#pragma once
#include "case_lab.h"

namespace xdplab {

json run_step(CaseLab &lab, const StepSpec &step);

// The step in words and commands, for --explain.
std::string describe_step(const CaseSpec &spec, const CaseNetwork &net, const StepSpec &step, int packets);

} // namespace xdplab
