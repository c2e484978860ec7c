#include "procedure_run.h"

#include "../../netns/netns_scope.h"
#include "../../netns/topology.h"
#include "lab.h"
#include "../subtest_context.h"

namespace xdplab {

namespace {

// The lab network: one veth pair with run-unique ifindexes, both ends in dut.
Lab::Network declare_network(Topology &topo, const SubtestContext &ctx)
{
	Lab::Network n;
	n.ns = topo.add_namespace("dut");
	int i0 = ctx.ifindex(0), i1 = ctx.ifindex(1);
	auto [o0, r0] = topo.add_veth({n.ns, "o0", "02:58:4c:00:03:00", i0}, {n.ns, "r0", "02:58:4c:00:03:01", i1});
	n.links = {{"o0", {o0, i0}}, {"r0", {r0, i1}}};
	return n;
}

} // namespace

Measurement run_procedure(const ProcedurePlan &plan, const std::string &subtest, SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope());
	Lab::Network net;
	if (plan.network) {
		net = declare_network(topo, ctx);
		topo.apply();
	}
	ctx.interruption.check();
	Measurement m;
	{
		Lab lab(ctx, subtest, false, nullptr);
		lab.set_network(net);
		NetnsScope inside(net.ns); // "" when there is no network
		plan.run(lab);
		m = lab.measurement();
	} // what the body loaded and created goes here, before the links
	if (ctx.options.keep) {
		topo.keep();
		return m;
	}
	fail_on_teardown_problems(topo.teardown());
	return m;
}

void explain_procedure(std::ostream &o, const ProcedurePlan &plan, const std::string &subtest, SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope(), true);
	Lab lab(ctx, subtest, true, &o);
	if (plan.network) {
		lab.set_network(declare_network(topo, ctx));
		for (const auto &c : topo.commands())
			o << c << "\n";
	}
	plan.run(lab);
}

} // namespace xdplab
