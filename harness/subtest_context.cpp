#include "subtest_context.h"

#include "../netns/ifindex.h"

namespace xdplab {

int SubtestContext::ifindex(unsigned k) const
{
	return harness_ifindex(run_slot(run_tag), case_id, k);
}

xdplab_ident SubtestContext::ident() const
{
	xdplab_ident id{};
	id.run_id = run_tag;
	id.case_id = case_id;
	id.printk = 1;
	return id;
}

} // namespace xdplab
