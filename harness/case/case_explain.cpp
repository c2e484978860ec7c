// explain_case (case_run.h): the subtest as commands and steps to rebuild it
// by hand, from the same spec and the same declared network the run uses, so
// what --explain prints is what a run does.
#include "case_run.h"

#include "../../netns/topology.h"
#include "../subtest_context.h"
#include "../tc_attach.h"
#include "../xdp_attach.h"
#include "case_steps.h"
#include "case_topology.h"

namespace xdplab {

void explain_case(std::ostream &o, const CaseSpec &spec, const SubtestContext &ctx)
{
	Topology topo(ctx.run_id, ctx.scope(), true);
	CaseNetwork net = declare_case_network(topo, spec, ctx);
	for (const auto &c : topo.commands())
		o << c << "\n";
	for (const auto &obj : spec.objects) {
		o << "# load " << obj.file_as_written << " as " << obj.name;
		if (!obj.programs.empty()) {
			o << " (only";
			for (const auto &p : obj.programs)
				o << " " << p;
			o << ")";
		}
		for (const auto &[m, shape] : obj.maps)
			o << "; " << m << (shape.value_size ? " value_size " + std::to_string(*shape.value_size) : "")
			  << (shape.max_entries ? " max_entries " + std::to_string(*shape.max_entries) : "");
		if (!obj.globals.empty())
			o << "; globals " << obj.globals.dump();
		o << (obj.may_fail ? "   # may be refused: then nothing is sent" : "") << "\n";
	}
	for (const auto &e : spec.entries)
		o << "# " << e.object << "/" << e.map << "[" << e.key.dump() << "] = " << e.value.dump()
		  << (e.may_fail ? "   # may be refused" : "") << "\n";
	for (const auto &l : spec.links)
		if (l.xdp) {
			const CaseLink &c = net.link(l.name);
			o << XdpAttachment::command(c.ns, c.dev, 0, l.xdp->mode) << "   # " << l.xdp->program.str()
			  << (l.xdp->may_fail ? " (may be refused: then nothing is sent)" : "") << "\n";
		}
	for (const auto &l : spec.links)
		if (l.tc) {
			const CaseLink &c = net.link(l.name);
			o << TcAttachment::command(c.ns, c.dev, spec.object(l.tc->object)->file_as_written, l.tc->program) << "\n";
		}
	if (spec.counters)
		for (const auto &[name, l] : net.links)
			o << "ip -n " << l.ns << " -s link show dev " << l.dev << "; ip netns exec " << l.ns << " ethtool -S "
			  << l.dev << "   # counters of " << name << ", before and after the traffic\n";
	for (const auto &s : spec.steps)
		o << describe_step(spec, net, s, ctx.options.packets) << "\n";
	o << "# frames sent and captured: "
	  << (ctx.options.pcap_dir.empty() ? "--pcap DIR writes DIR/" : ctx.options.pcap_dir + "/") << spec.id << "--"
	  << spec.subtest << ".pcapng (tcpdump -nn -r FILE)\n";
	o << "# observe (jq over the evidence; --evidence DIR writes it):\n";
	for (const auto &[name, expr] : spec.observe)
		o << "#   " << name << ": " << expr << "\n";
}

} // namespace xdplab
