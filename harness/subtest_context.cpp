#include "subtest_context.h"

#include "../netns/ifindex.h"

#include <stdexcept>

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

void fail_on_teardown_problems(const std::vector<std::string> &problems)
{
	if (problems.empty())
		return;
	std::string all;
	for (const auto &p : problems)
		all += (all.empty() ? "" : "; ") + p;
	throw std::runtime_error("teardown failed: " + all);
}

} // namespace xdplab
