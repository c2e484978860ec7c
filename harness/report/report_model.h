// What both renderings of the report (report_markdown.cpp, report_html.cpp)
// show, computed once from the result files and the expectation files.
#pragma once
#include "report.h"
#include "../cost/cost_table.h"
#include "../splat_summary.h"
#include "timeline.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace xdplab {

using SubtestKey = std::pair<std::string, std::string>; // (id, subtest)

struct ReportModel {
	std::vector<const RunResults *> runs; // the columns, in version order
	std::vector<SubtestKey> rows;	      // every subtest of some run; splats have their own column
	std::vector<std::map<SubtestKey, const SubtestResult *>> cells; // per column
	std::vector<std::vector<SplatSeen>> splats;		     // per column
	std::map<std::string, const ExpectationFile *> expectations; // by experiment id
	std::map<SubtestKey, std::set<std::string>> varying;	     // observations that differ between kernels
	std::vector<ClaimTimeline> timeline;
	std::map<SubtestKey, const ClaimTimeline *> claim_of;
	std::vector<Change> between;
	std::optional<std::vector<Change>> since_baseline;
	std::vector<std::string> problems; // deviations and errors, one line each
	cost::CostTable costs;             // the cost bench's figures; no columns when none ran
	std::string out_dir;               // where the report goes: links to evidence files are relative to it

	const SubtestResult *cell(size_t column, const SubtestKey &row) const;
	std::string headline(size_t column, const SubtestKey &row) const;
	// The seed claim on that kernel, NotMeasured where the subtest has none.
	ClaimState seed_state(size_t column, const SubtestKey &row) const;
};

ReportModel model_of(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		     const std::vector<ExpectationFile> &expectations);

std::string render_markdown(const ReportModel &m);
std::string render_html(const ReportModel &m);

// "host", "VM (tcg)", or "" for a run outside a matrix.
std::string ran_on(const RunResults &r);
std::string value_str(const json &v);
// A link from the report to a file a result names (its pcapng frames).
std::string link_to(const ReportModel &m, const std::string &path);
// An estimate of the HTML page's height in CSS pixels, for a screenshot of all of it.
int html_page_height(const ReportModel &m);

} // namespace xdplab
