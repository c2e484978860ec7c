// The cases of the cost bench (catalog E), declared as data: what the
// injected frame meets on its way, where it ends (the sink, named in every
// figure because it dominates), and which case it is compared with to give
// the cost of one feature.
#pragma once
#include "../xdp_attach.h"

#include <optional>
#include <string>
#include <vector>

namespace xdplab::cost {

// What the test run executes on each injected frame.
enum class Verdict { Drop, Tx, Redirect, Pass };
enum class Map { Devmap, DevmapHash };

struct CostCase {
	std::string name;
	std::string what;            // one line, for --list and the report
	Verdict verdict = Verdict::Drop;
	Map map = Map::Devmap;
	bool entry_prog = false;     // the devmap entry carries a program
	int ports = 0;               // output links (and sinks); > 1 only with broadcast
	bool broadcast = false;      // BPF_F_BROADCAST to every entry
	// Redirect in generic (SKB) mode: the test run passes the frame to the
	// stack of the ingress link, whose generic program redirects it.
	XdpMode mode = XdpMode::Native;
	std::string sink;            // where frames end
	std::string base;            // the case whose figure this one's feature is added to; "" none
};

const std::vector<CostCase> &cost_cases();
// The case named so; nullopt for an unknown name.
std::optional<CostCase> find_cost_case(const std::string &name);
// Cases by names or globs (every case for none); throws std::invalid_argument
// naming an unknown one.
std::vector<CostCase> select_cost_cases(const std::vector<std::string> &selectors);

} // namespace xdplab::cost
