#include "observe.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace xdplab {

json uniform(const std::vector<json> &per_frame)
{
	if (per_frame.empty())
		return nullptr;
	std::vector<json> distinct;
	for (const auto &v : per_frame)
		if (std::find(distinct.begin(), distinct.end(), v) == distinct.end())
			distinct.push_back(v);
	if (distinct.size() == 1)
		return distinct.front();
	return {{"varies", distinct}};
}

json devmap_progs_ran(const StagedRun &run, const std::map<std::string, std::string> &role_names)
{
	std::set<std::string> ran;
	for (const auto &e : run.stage(XDPLAB_STAGE_EGRESS)) {
		std::string role = run.role_of_ifindex(static_cast<int>(e.egress_ifindex));
		auto it = role_names.find(role);
		ran.insert(it != role_names.end() ? it->second : "ifindex " + std::to_string(e.egress_ifindex));
	}
	return json(std::vector<std::string>(ran.begin(), ran.end()));
}

json delivered_as(const StagedRun &run, const std::map<std::string, std::string> &role_names)
{
	json out = json::object();
	auto counts = run.delivered();
	for (const auto &[role, name] : role_names)
		out[name] = counts.count(role) ? counts.at(role) : 0;
	return out;
}

json drop_tracepoint(const StagedRun &run)
{
	for (const auto &t : run.tracepoints) {
		auto f = trace_fields(t.body);
		int err = f.count("err") ? static_cast<int>(std::strtol(f["err"].c_str(), nullptr, 0)) : 0;
		if (err != 0 || t.event == "xdp_exception")
			return {{"event", t.event}, {"err", err}};
	}
	return nullptr;
}

StagedSetup single_redirect_setup(const std::string &subtest)
{
	StagedSetup setup;
	setup.mode = subtest.find("generic") != std::string::npos ? XdpMode::Generic : XdpMode::Native;
	setup.program.calls = 1;
	setup.program.key[0] = 0;
	setup.entries = {{false, 0, "o0", true}};
	return setup;
}

StagedRun run_staged_or_skip(Lab &lab, const StagedSetup &setup)
{
	static const KernelVersion kGenericDevmapProgs{5, 15, 0}; // 2ea5eabaf04a
	StagedSetup s = setup;
	s.tolerate_attach_failure = s.tolerate_attach_failure || s.mode == XdpMode::Generic;
	StagedRun run = run_staged(lab, s);
	if (!run.attach_failure || setup.tolerate_attach_failure)
		return run;
	std::string why = std::string("generic-mode attach refused: ") + strerror(run.attach_failure->err);
	if (lab.kernel.version < kGenericDevmapProgs)
		throw SkipSubtest(why + " (a program using a devmap with programs needs generic-mode support from " +
				  kGenericDevmapProgs.str() + ", see devmap-prog-generic-mode)");
	throw std::runtime_error(why);
}

} // namespace xdplab
