// Reports over result files: the experiment x kernel matrix, and what changed
// between kernels or against a baseline (the regression list).
#pragma once
#include "results.h"

#include <optional>
#include <string>
#include <vector>

namespace xdplab {

struct ResultFile {
	std::string path;
	RunResults results;
};

// Files and directories (searched recursively) -> every xdplab-results/1
// document; other JSON is ignored. For the same kernel release the newest run wins.
std::vector<ResultFile> load_result_files(const std::vector<std::string> &paths);

struct Change {
	std::string id, subtest;
	std::string what; // an observation name, or "verdict"
	std::vector<std::pair<std::string, json>> values; // (kernel or "baseline <kernel>", value)
};

// Observations and verdicts that differ between the kernels of one matrix.
std::vector<Change> changes_between_kernels(const std::vector<ResultFile> &files);
// The same kernels then and now: every observation or verdict that moved.
std::vector<Change> changes_from_baseline(const std::vector<ResultFile> &baseline,
					  const std::vector<ResultFile> &current);

struct Report {
	std::string markdown, html;
};
Report make_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline);

// Writes report.md, report.html and junit-<release>.xml into out_dir.
void write_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		  const std::string &out_dir);

} // namespace xdplab
