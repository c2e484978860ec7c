#include "procedure_run.h"

#include "../netns/naming.h"
#include "../netns/topology.h"
#include "event_stream.h"
#include "subtest_context.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

namespace xdplab {

namespace {

class Context : public ProcedureContext {
public:
	Context(SubtestContext &ctx) : ctx_(ctx) {}
	std::string netns(const std::string &role) const override { return at(ns_, role, "namespace"); }
	int ifindex(const std::string &role) const override
	{
		auto it = ifindex_.find(role);
		if (it == ifindex_.end())
			throw std::invalid_argument("procedure names unknown link " + role);
		return it->second;
	}
	std::string link(const std::string &role) const override { return at(link_, role, "link"); }
	std::string netns_of(const std::string &role) const override { return at(link_ns_, role, "link"); }
	uint32_t run_tag() const override { return ctx_.run_tag; }
	uint32_t case_id() const override { return ctx_.case_id; }
	bool has(const std::string &capability) const override
	{
		auto it = ctx_.caps.find(capability);
		return it != ctx_.caps.end() && it->second;
	}
	int frame_timeout_ms() const override { return ctx_.options.timeout_ms; }
	EventStream &events() override
	{
		if (!events_)
			events_ = std::make_unique<EventStream>();
		return *events_;
	}

	std::map<std::string, std::string> ns_, link_, link_ns_;
	std::map<std::string, int> ifindex_;

private:
	static std::string at(const std::map<std::string, std::string> &m, const std::string &k, const char *what)
	{
		auto it = m.find(k);
		if (it == m.end())
			throw std::invalid_argument(std::string("procedure names unknown ") + what + " " + k);
		return it->second;
	}
	SubtestContext &ctx_;
	std::unique_ptr<EventStream> events_;
};

std::string mac_for(unsigned k)
{
	char buf[18];
	snprintf(buf, sizeof(buf), "02:58:4c:00:03:%02x", k);
	return buf;
}

} // namespace

// Declares the procedure's topology; shared with --explain.
static void declare_procedure_topology(Topology &topo, const ProcedurePlan &plan, const SubtestContext &ctx,
				       std::map<std::string, std::string> &ns, std::map<std::string, std::string> &link,
				       std::map<std::string, int> &ifindex, std::map<std::string, std::string> &ns_of_link)
{
	auto ipv6 = [&](const std::string &role) {
		return std::find(plan.ipv6_namespaces.begin(), plan.ipv6_namespaces.end(), role) !=
		       plan.ipv6_namespaces.end();
	};
	for (const auto &role : plan.namespaces)
		ns[role] = topo.add_namespace(role, NamespaceOptions{.ipv6 = ipv6(role)});
	unsigned k = 0;
	for (const auto &v : plan.veths) {
		int ia = ctx.ifindex(k), ib = ctx.ifindex(k + 1);
		auto [a, b] = topo.add_veth({ns.at(v.ns_a), v.link_a, mac_for(k), ia, v.mtu},
					    {ns.at(v.ns_b), v.link_b, mac_for(k + 1), ib, v.mtu});
		link[v.link_a] = a;
		link[v.link_b] = b;
		ifindex[v.link_a] = ia;
		ifindex[v.link_b] = ib;
		ns_of_link[v.link_a] = ns.at(v.ns_a);
		ns_of_link[v.link_b] = ns.at(v.ns_b);
		k += 2;
	}
	for (const auto &a : plan.addresses)
		topo.add_address(ns_of_link.at(a.link), link.at(a.link), a.cidr);
	for (const auto &r : plan.routes)
		topo.add_route(ns.at(r.ns), r.spec);
	for (const auto &s : plan.sysctls)
		topo.sysctl(ns.at(s.ns), s.key, s.value);
	for (const auto &o : plan.offloads)
		topo.set_offload(ns_of_link.at(o.link), link.at(o.link), o.feature, o.on);
}

Measurement run_procedure(const ProcedurePlan &plan, SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope());
	Context c(ctx);
	declare_procedure_topology(topo, plan, ctx, c.ns_, c.link_, c.ifindex_, c.link_ns_);
	topo.apply();
	ctx.check_interrupt();
	Measurement m = plan.run(c);
	if (ctx.options.keep) {
		topo.keep();
		return m;
	}
	auto problems = topo.teardown();
	fail_on_teardown_problems(problems);
	return m;
}

void explain_procedure(std::ostream &o, const ProcedurePlan &plan, const SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope(), true);
	std::map<std::string, std::string> ns, link, link_ns;
	std::map<std::string, int> ifindex;
	declare_procedure_topology(topo, plan, ctx, ns, link, ifindex, link_ns);
	for (const auto &c : topo.commands())
		o << c << "\n";
	for (const auto &s : plan.steps)
		o << s << "\n";
}

} // namespace xdplab
