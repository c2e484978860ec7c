// Small builders of engine inputs for the unit tests: ring buffer events and
// trace lines as the kernel would hand them over.
#pragma once
#include "harness/trace_parse.h"

#include <linux/types.h>
extern "C" {
#include "bpf/xdplab_event.h"
}

#include <string>

namespace xdplab::test {

inline xdplab_event event(uint32_t stage, uint32_t seq, int action = XDPLAB_NO_ACTION, uint32_t egress_ifindex = 0)
{
	xdplab_event e{};
	e.stage = stage;
	e.seq = seq;
	e.action = action;
	e.egress_ifindex = egress_ifindex;
	return e;
}

inline TraceRecord tracepoint(const std::string &event, const std::string &body)
{
	TraceRecord t;
	t.event = event;
	t.body = body;
	return t;
}

} // namespace xdplab::test
