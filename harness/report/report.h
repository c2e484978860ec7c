// Reports over result files: the experiment x kernel matrix, and what changed
// between kernels or against a baseline (the regression list).
#pragma once
#include "../expectations.h"
#include "../results.h"

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

// Files and directories (searched recursively) -> every xdplab-results/1
// document; other JSON is ignored. For the same kernel release the newest run wins.
std::vector<ResultFile> load_result_files(const std::vector<std::string> &paths);

struct Change {
	std::string id, subtest;
	std::string what; // an observation name, or "verdict"
	std::vector<std::pair<std::string, json>> values; // (kernel or "baseline <kernel>", value)
};

// The report's columns: kernels in version order (a host kernel is just its
// release's version), then by release.
std::vector<const RunResults *> by_kernel_version(const std::vector<ResultFile> &files);

// Observations and verdicts that differ between the kernels of one matrix.
std::vector<Change> changes_between_kernels(const std::vector<ResultFile> &files);
// The same kernels then and now: every observation or verdict that moved.
std::vector<Change> changes_from_baseline(const std::vector<ResultFile> &baseline,
					  const std::vector<ResultFile> &current);

// Every <id>.json of DIR (ExpectationError for a malformed one).



// Cells show each subtest's headline (headline.h) from the EXPECTATIONS'
// templates; the findings timeline is built from their seed claims
// (timeline.h). Without expectation files, cells show "name=value" and the
// timeline what the runs recorded.
struct Report {
	std::string markdown, html;
	int page_height = 0; // of the HTML page, roughly, in CSS pixels
};
// out_dir: where the report goes, so that its links to evidence files
// (pcapng) are relative to it ("" leaves them as the results give them).
Report make_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		   const std::vector<ExpectationFile> &expectations = {}, const std::string &out_dir = "");

struct ReportOptions {
	bool screenshot = true;	      // report.png beside report.html, when chromium is installed
};

// Writes report.md, report.html, junit-<release>.xml and, with chromium,
// report.png into out_dir; one line on NOTES says whether a screenshot was
// taken and why not (a missing or failing browser never fails the report).
void write_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		  const std::string &out_dir, const ReportOptions &options = {}, std::ostream &notes = std::cerr);

} // namespace xdplab
