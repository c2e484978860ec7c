// report.md: read in a terminal (.ci/run prints it) and as a CI step summary.
#include "../headline.h"
#include "report_model.h"

#include <sstream>

namespace xdplab {

namespace {

std::string md_cell(const std::string &s)
{
	std::string o;
	for (char c : s)
		o += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
	return o;
}

// The verdict as a mark in front of the headline: an error never reads as a pass.
std::string marked(Verdict v, const std::string &headline)
{
	switch (v) {
	case Verdict::Confirmed:
		return "✓ " + headline;
	case Verdict::Deviates:
		return "✗ DEVIATES: " + headline;
	case Verdict::Skipped:
		return "skipped: " + headline;
	case Verdict::Unpinned:
		return "? UNPINNED: " + headline;
	case Verdict::Error:
		break;
	}
	return "ERROR: " + headline;
}

std::string splat_summary(const std::vector<SplatSeen> &splats)
{
	if (splats.empty())
		return "none";
	const SplatSeen &s = splats.front();
	return std::to_string(splats.size()) + ": " + shortened(s.first_line, 48) +
	       (s.during.empty() ? "" : " (during " + s.during + ")");
}

void markdown_changes(std::ostringstream &md, const std::vector<Change> &changes)
{
	if (changes.empty()) {
		md << "Nothing differs.\n";
		return;
	}
	md << "| experiment/subtest | what | values |\n|---|---|---|\n";
	for (const auto &c : changes) {
		std::string vals;
		for (const auto &[k, v] : c.values)
			vals += (vals.empty() ? "" : "; ") + k + ": `" + value_str(v) + "`";
		md << "| " << c.id << "/" << c.subtest << " | " << c.what << " | " << md_cell(vals) << " |\n";
	}
}

void markdown_timeline(std::ostringstream &md, const ReportModel &m)
{
	md << "\n## Findings timeline\n\nWhere each seed claim holds, kernels in version order.\n";
	if (m.timeline.empty())
		md << "\nNo subtest with a seed claim ran.\n";
	std::string group;
	for (const auto &t : m.timeline) {
		if (t.id != group) {
			group = t.id;
			md << "\n### " << t.id << (t.seed.empty() ? "" : " (seed " + t.seed + ")") << "\n\n";
		}
		md << "- **" << t.subtest << "**";
		if (!t.claim.text.empty())
			md << ": \"" << shortened(t.claim.text, 100) << "\" (observed on " << t.claim.observed_on << ")";
		md << " — " << timeline_summary(t) << "\n";
	}
}

void markdown_costs(std::ostringstream &md, const cost::CostTable &t)
{
	if (t.columns.empty())
		return;
	md << "\n## What each feature costs\n\n" << t.note << "\n\n| case |";
	for (const auto &c : t.columns)
		md << " " << c << " |";
	md << "\n|---|";
	for (size_t i = 0; i < t.columns.size(); ++i)
		md << "---|";
	md << "\n";
	for (size_t r = 0; r < t.rows.size(); ++r) {
		md << "| " << t.rows[r] << " |";
		for (const auto &cell : t.cells[r])
			md << " " << cell << " |";
		md << "\n";
	}
}

} // namespace

std::string render_markdown(const ReportModel &m)
{
	std::ostringstream md;
	md << "# xdplab kernel matrix\n\n";
	md << "| kernel | version | ran on | started | confirmed | deviates | unpinned | skipped | error | splats |\n"
	      "|---|---|---|---|---|---|---|---|---|---|\n";
	for (size_t i = 0; i < m.runs.size(); ++i) {
		const RunResults *r = m.runs[i];
		Summary s = r->summary();
		md << "| " << r->kernel.release << " | " << r->kernel.version.str() << " | " << ran_on(*r) << " | "
		   << r->started << " | " << s.confirmed << " | " << s.deviates << " | " << s.unpinned << " | " << s.skipped << " | " << s.error
		   << " | " << md_cell(splat_summary(m.splats[i])) << " |\n";
	}
	md << "\nEach cell is what the subtest observed on that kernel: ✓ as expected for that kernel, "
	      "✗ DEVIATES from it, ? UNPINNED (the expectation accepts either outcome there: not a verdict), "
	      "ERROR (setup failed, never a pass), skipped; kernels in version order.\n\n"
	      "| experiment/subtest |";
	for (const auto *r : m.runs)
		md << " " << r->kernel.release << " |";
	md << "\n|---|";
	for (size_t i = 0; i < m.runs.size(); ++i)
		md << "---|";
	md << "\n";
	for (const auto &row : m.rows) {
		md << "| " << row.first << "/" << row.second << " |";
		for (size_t i = 0; i < m.runs.size(); ++i) {
			const SubtestResult *e = m.cell(i, row);
			md << " " << (e ? md_cell(marked(e->verdict, m.headline(i, row))) : "—") << " |";
		}
		md << "\n";
	}
	bool any_splat = false;
	for (const auto &s : m.splats)
		any_splat = any_splat || !s.empty();
	if (any_splat) {
		md << "\n## Kernel splats\n\n";
		for (size_t i = 0; i < m.runs.size(); ++i)
			for (const auto &s : m.splats[i])
				md << "- " << m.runs[i]->kernel.release << ": `" << s.first_line << "`"
				   << (s.during.empty() ? "" : " during " + s.during) << "\n";
	}
	markdown_timeline(md, m);
	md << "\n## Changed between kernels\n\n";
	markdown_changes(md, m.between);
	if (m.since_baseline) {
		md << "\n## Changed since the baseline\n\n";
		markdown_changes(md, *m.since_baseline);
	}
	md << "\n## Deviations and errors\n\n";
	if (m.problems.empty())
		md << "None.\n";
	for (const auto &p : m.problems)
		md << "- " << md_cell(p) << "\n";
	markdown_costs(md, m.costs);
	return md.str();
}

} // namespace xdplab
