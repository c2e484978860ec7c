#include "case_run.h"

#include "../../netns/topology.h"
#include "../libbpf_log.h"
#include "../subtest_context.h"
#include "case_evidence.h"
#include "case_lab.h"
#include "case_readout.h"
#include "case_setup.h"
#include "case_steps.h"
#include "jq_observations.h"

#include <chrono>

namespace xdplab {

namespace {

using clock_type = std::chrono::steady_clock;

// Why a step cannot run after an expected refusal, or "".
std::string blocked(const CaseLab &lab, const StepSpec &s)
{
	if ((s.kind == "frames" || s.kind == "ping" || s.kind == "tcp") && !lab.network_blocked.empty())
		return lab.network_blocked;
	for (const char *key : {"program", "map"})
		if (s.args.is_object() && s.args.contains(key)) {
			std::string obj = s.args[key].get<std::string>().substr(0, s.args[key].get<std::string>().find('/'));
			if (lab.failed_objects.count(obj))
				return "object " + obj + " did not load";
		}
	return "";
}

void run_traffic(CaseLab &lab)
{
	lab.evidence["steps"] = json::object();
	lab.start_collecting();
	for (const auto &s : lab.spec.steps) {
		if (auto why = blocked(lab, s); !why.empty()) {
			lab.evidence["not_run"][s.name] = why; // the refusal the case expects is the answer
			continue;
		}
		lab.evidence["steps"][s.name] = run_step(lab, s);
	}
	lab.poll();
	lab.check_health();
}

} // namespace

CaseOutcome run_case(const CaseSpec &spec, SubtestContext &ctx)
{
	std::map<std::string, long> phase_ms;
	auto phase_start = clock_type::now();
	auto phase_done = [&](const char *name) {
		auto now = clock_type::now();
		phase_ms[name] = std::chrono::duration_cast<std::chrono::milliseconds>(now - phase_start).count();
		phase_start = now;
	};

	// Declared first, destroyed last: links go only after every detach below.
	Topology topo(ctx.run_id, ctx.scope());
	CaseNetwork net = declare_case_network(topo, spec, ctx);
	topo.apply();
	phase_done("topology");
	ctx.interruption.check();

	CaseLab lab(spec, ctx, net);
	lab.evidence["load"] = json::object();
	lab.evidence["attach"] = json::object();
	{
		LibbpfLogCapture quiet; // libbpf's chatter goes into the evidence, not the terminal
		load_objects(lab);
		fill_maps(lab);
	}
	phase_done("load");
	attach_xdp_programs(lab);
	attach_tc_programs(lab);
	read_features(lab);
	phase_done("attach");
	ctx.interruption.check();
	json counters_before = spec.counters ? read_counters(lab) : json();
	run_traffic(lab);
	if (spec.counters)
		lab.evidence["counters"] = counters_moved(counters_before, read_counters(lab));
	phase_done("traffic");
	read_state(lab);

	CaseOutcome out;
	Accounting tagged = lab.account_tagged();
	out.document = evidence_document(lab, tagged);
	out.evidence = evidence_summary(lab, tagged, out.document);
	out.problem = evidence_problem(lab, tagged);
	try {
		out.observations = spec.program->evaluate(out.document);
	} catch (const JqError &e) {
		throw std::runtime_error(std::string("observations: ") + e.what());
	}
	phase_done("observe");
	if (!ctx.options.pcap_dir.empty())
		out.evidence["pcap_file"] = write_pcapng(ctx.options.pcap_dir, spec.id, spec.subtest, lab.frames_for_pcap());

	if (ctx.options.keep) {
		topo.keep();
		for (auto &a : lab.attachments)
			a->keep(); // stays attached: the kernel holds the programs
		for (auto &a : lab.tc_attachments)
			a->keep();
		*ctx.notes << "# kept: " << spec.id << "/" << spec.subtest << " (run " << ctx.run_id << " case "
			   << ctx.case_id << ") is still up. Remove it with: ./run.sh --cleanup   (or by hand:)\n";
		if (out.evidence.contains("pcap_file"))
			*ctx.notes << "# its frames: tcpdump -nn -r " << out.evidence["pcap_file"].get<std::string>() << "\n";
		for (const auto &c : topo.teardown_commands())
			*ctx.notes << c << "\n";
		out.evidence["phases_ms"] = phase_ms;
		return out;
	}
	// Teardown in order, every problem reported: XDP first, then the objects, then the network.
	std::vector<std::string> problems;
	for (auto &a : lab.attachments)
		if (auto p = a->detach())
			problems.push_back(*p);
	lab.attachments.clear();
	for (auto &a : lab.tc_attachments)
		if (auto p = a->detach())
			problems.push_back(*p);
	lab.tc_attachments.clear();
	lab.objects.clear();
	for (auto &p : topo.teardown())
		problems.push_back(p);
	phase_done("teardown");
	out.evidence["phases_ms"] = phase_ms;
	fail_on_teardown_problems(problems);
	return out;
}

} // namespace xdplab
