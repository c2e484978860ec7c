// The cost bench's rows in the matrix report: one row per cost case, one
// column per kernel that has a "benchmarks" section. Figures from TCG guests
// are marked emulated: instruction emulation says nothing about a kernel's
// cost, so they are never set beside (or compared with) the host's.
#pragma once
#include "../report.h"

#include <string>
#include <vector>

namespace xdplab::cost {

struct CostTable {
	std::vector<std::string> columns; // kernel release, " (emulated)" for TCG
	std::vector<std::string> rows;    // case names, in the order first seen
	// cells[row][column]: "192.3 ns/pkt ±2.9 % · 1.90 Mpps · +25.2 ns over redirect-devmap", or "—"
	std::vector<std::vector<std::string>> cells;
};
CostTable cost_table(const std::vector<ResultFile> &files);

// Appends the table to the report's markdown and HTML (nothing when no file has figures).
void append_cost_section(Report &report, const std::vector<ResultFile> &files);

} // namespace xdplab::cost
