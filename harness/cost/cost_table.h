// The cost bench's figures as a table for the matrix report (the report's
// model holds it; its renderings draw it): one row per cost case, one column
// per kernel that has a "benchmarks" section. Figures from TCG guests
// are marked emulated: instruction emulation says nothing about a kernel's
// cost, so they are never set beside (or compared with) the host's.
#pragma once
#include "../results.h"

#include <string>
#include <vector>

namespace xdplab::cost {

struct CostTable {
	std::string note; // what the figures are, for the section's text
	std::vector<std::string> columns; // kernel release, " (emulated)" for TCG
	std::vector<std::string> rows;    // case names, in the order first seen
	// cells[row][column]: "192.3 ns/pkt ±2.9 % · 1.90 Mpps · +25.2 ns over redirect-devmap", or "—"
	std::vector<std::vector<std::string>> cells;
};
// No columns when no run has figures.
CostTable cost_table(const std::vector<const RunResults *> &runs);

} // namespace xdplab::cost
