#include "cases.h"

#include <fnmatch.h>

#include <stdexcept>

namespace xdplab::cost {

namespace {
const char *kPeerDrop = "XDP_DROP on the peer";
const char *kPeerGenericDrop = "XDP_DROP (generic) on the peer";
} // namespace

const std::vector<CostCase> &cost_cases()
{
	static const std::vector<CostCase> cases = {
		{.name = "drop", .what = "XDP_DROP at ingress: the baseline of the injection itself",
		 .verdict = Verdict::Drop, .sink = "XDP_DROP at ingress"},
		{.name = "tx", .what = "XDP_TX back out of the ingress veth",
		 .verdict = Verdict::Tx, .ports = 1, .sink = kPeerDrop, .base = "drop"},
		{.name = "redirect-devmap", .what = "bpf_redirect_map through a DEVMAP to another veth",
		 .verdict = Verdict::Redirect, .map = Map::Devmap, .ports = 1, .sink = kPeerDrop, .base = "drop"},
		{.name = "redirect-devmap-prog", .what = "the same with a devmap entry program (XDP_PASS)",
		 .verdict = Verdict::Redirect, .map = Map::Devmap, .entry_prog = true, .ports = 1, .sink = kPeerDrop,
		 .base = "redirect-devmap"},
		{.name = "redirect-devmap-hash", .what = "bpf_redirect_map through a DEVMAP_HASH",
		 .verdict = Verdict::Redirect, .map = Map::DevmapHash, .ports = 1, .sink = kPeerDrop,
		 .base = "redirect-devmap"},
		{.name = "redirect-devmap-hash-prog", .what = "DEVMAP_HASH with a devmap entry program (XDP_PASS)",
		 .verdict = Verdict::Redirect, .map = Map::DevmapHash, .entry_prog = true, .ports = 1, .sink = kPeerDrop,
		 .base = "redirect-devmap-hash"},
		{.name = "broadcast-1", .what = "BPF_F_BROADCAST into a DEVMAP of 1 port",
		 .verdict = Verdict::Redirect, .map = Map::Devmap, .ports = 1, .broadcast = true, .sink = kPeerDrop,
		 .base = "redirect-devmap"},
		{.name = "broadcast-2", .what = "BPF_F_BROADCAST into a DEVMAP of 2 ports",
		 .verdict = Verdict::Redirect, .map = Map::Devmap, .ports = 2, .broadcast = true, .sink = kPeerDrop,
		 .base = "broadcast-1"},
		{.name = "broadcast-4", .what = "BPF_F_BROADCAST into a DEVMAP of 4 ports",
		 .verdict = Verdict::Redirect, .map = Map::Devmap, .ports = 4, .broadcast = true, .sink = kPeerDrop,
		 .base = "broadcast-2"},
		{.name = "redirect-generic", .what = "the DEVMAP redirect in generic (SKB) mode on the ingress veth",
		 .verdict = Verdict::Pass, .map = Map::Devmap, .ports = 1, .mode = XdpMode::Generic,
		 .sink = kPeerGenericDrop, .base = "redirect-devmap"},
	};
	return cases;
}

std::optional<CostCase> find_cost_case(const std::string &name)
{
	for (const auto &c : cost_cases())
		if (c.name == name)
			return c;
	return std::nullopt;
}

std::vector<CostCase> select_cost_cases(const std::vector<std::string> &selectors)
{
	if (selectors.empty())
		return cost_cases();
	std::vector<CostCase> out;
	for (const auto &c : cost_cases()) {
		for (const auto &s : selectors)
			if (fnmatch(s.c_str(), c.name.c_str(), 0) == 0) {
				out.push_back(c);
				break;
			}
	}
	for (const auto &s : selectors) {
		bool matched = false;
		for (const auto &c : cost_cases())
			matched = matched || fnmatch(s.c_str(), c.name.c_str(), 0) == 0;
		if (!matched)
			throw std::invalid_argument("no cost case matches \"" + s + "\"");
	}
	return out;
}

} // namespace xdplab::cost
