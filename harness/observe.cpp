#include "observe.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <string.h>
#include <unistd.h>

namespace xdplab {

BenchPlan single_redirect(XdpMode mode)
{
	BenchPlan p;
	p.mode = mode;
	p.outputs = {{"target", Peer::Xdp}};
	p.calls = {{Devmap::Array, 0}};
	p.entries = {{Devmap::Array, 0, "o0", true}};
	return p;
}

json errno_of(int ret)
{
	if (ret >= 0)
		return 0;
	const char *name = strerrorname_np(-ret);
	return name ? json(name) : json(-ret);
}

OwnedFd::~OwnedFd()
{
	if (fd_ >= 0)
		close(fd_);
}

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

json devmap_progs_ran(const BenchRun &run)
{
	std::set<std::string> ran;
	for (const auto &e : run.stage(XDPLAB_STAGE_EGRESS)) {
		std::string name = run.name_of_ifindex(static_cast<int>(e.egress_ifindex));
		ran.insert(name.empty() ? "ifindex " + std::to_string(e.egress_ifindex) : name);
	}
	return json(std::vector<std::string>(ran.begin(), ran.end()));
}

json drop_tracepoint(const BenchRun &run)
{
	for (const auto &t : run.tracepoints) {
		auto f = trace_fields(t.body);
		int err = f.count("err") ? static_cast<int>(std::strtol(f["err"].c_str(), nullptr, 0)) : 0;
		if (err != 0 || t.event == "xdp_exception")
			return {{"event", t.event}, {"err", err}};
	}
	return nullptr;
}

} // namespace xdplab
