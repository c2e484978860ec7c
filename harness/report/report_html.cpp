// report.html: one self-contained page (inline CSS, no script, nothing
// fetched) whose elements carry stable ids, classes and data- attributes, so
// that a browser test, or anyone's script, can read the matrix off the DOM.
#include "report_model.h"

#include "../formats/junit.h"
#include "../headline.h"

#include <sstream>

namespace xdplab {

namespace {

const char *kCss = R"(body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;font-size:14px}
h2{margin-top:1.6em}table{border-collapse:collapse;margin:.6em 0}#matrix table{width:100%}
td,th{border:1px solid #ccc;padding:.25em .45em;vertical-align:top;font-size:13px;text-align:left}
th{background:#f3f3f3}thead th{position:sticky;top:0}
th.subtest-name{font-weight:normal;white-space:nowrap;background:#fafafa}
tr.first-of-experiment>*{border-top:2px solid #999}
.version{font-weight:normal;color:#555;font-size:12px}
.cell{font-size:12px}.cell summary{cursor:pointer;list-style:none}
.cell summary::-webkit-details-marker{display:none}
.confirmed{background:#e6f4ea}.deviates{background:#fde2e1}.error{background:#f8c9c4}.skipped{background:#eee;color:#555}.unpinned{background:#fff3cd}
.missing{color:#999}.mark{font-weight:bold;margin-right:.3em}
.seed{float:right;font-size:11px;color:#555;margin-left:.5em}.seed.does-not-hold{color:#a33}
details pre{white-space:pre-wrap;max-width:40em;font-size:11px}code{font-size:12px}
.splats.has-splats{background:#f8c9c4}.splat .during{color:#555}
.claim{margin:.35em 0}.claim q{color:#444}.observed-on{color:#777;font-size:12px}
.claim-kernel{display:inline-block;padding:0 .4em;margin:.15em .2em .15em 0;border-radius:3px;font-size:12px}
.claim-kernel.holds{background:#e6f4ea}.claim-kernel.does-not-hold{background:#fde2e1}
.claim-kernel.not-measured{background:#eee;color:#777}.trend{font-weight:bold}
)";

std::string esc(const std::string &s)
{
	return markup_escape(s);
}

std::string mark_of(Verdict v)
{
	switch (v) {
	case Verdict::Deviates:
		return "✗ deviates";
	case Verdict::Error:
		return "ERROR";
	case Verdict::Skipped:
		return "skipped";
	case Verdict::Unpinned:
		return "? unpinned";
	case Verdict::Confirmed:
		break;
	}
	return "";
}

std::string claim_mark(ClaimState s)
{
	return s == ClaimState::Holds ? "✓" : s == ClaimState::DoesNotHold ? "✗" : "–";
}

void kernels_table(std::ostringstream &h, const ReportModel &m)
{
	h << "<section id=\"kernels\"><table><thead><tr><th>kernel</th><th>version</th><th>ran on</th>"
	     "<th>started</th><th>confirmed</th><th>deviates</th><th>unpinned</th><th>skipped</th><th>error</th><th>splats</th>"
	     "</tr></thead><tbody>\n";
	for (size_t i = 0; i < m.runs.size(); ++i) {
		const RunResults *r = m.runs[i];
		Summary s = r->summary();
		const auto &splats = m.splats[i];
		h << "<tr class=\"kernel\" data-kernel=\"" << esc(r->kernel.release) << "\" data-version=\""
		  << r->kernel.version.str() << "\"><td>" << esc(r->kernel.release) << "</td><td>"
		  << r->kernel.version.str() << "</td><td>" << esc(ran_on(*r)) << "</td><td>" << esc(r->started)
		  << "</td><td>" << s.confirmed << "</td><td>" << s.deviates << "</td><td>" << s.unpinned << "</td><td>" << s.skipped << "</td><td>"
		  << s.error << "</td><td class=\"splats" << (splats.empty() ? "" : " has-splats") << "\" data-kernel=\""
		  << esc(r->kernel.release) << "\" data-splats=\"" << splats.size() << "\">";
		if (splats.empty())
			h << "none";
		else
			h << splats.size() << (splats.size() == 1 ? " splat" : " splats");
		for (const auto &sp : splats)
			h << "<div class=\"splat\" data-during=\"" << esc(sp.during) << "\"><code>" << esc(sp.first_line)
			  << "</code>" << (sp.during.empty() ? "" : " <span class=\"during\">during " + esc(sp.during) + "</span>")
			  << "</div>";
		h << "</td></tr>\n";
	}
	h << "</tbody></table></section>\n";
}

void matrix_table(std::ostringstream &h, const ReportModel &m)
{
	h << "<section id=\"matrix\"><h2>What each subtest observed</h2>\n<p class=\"legend\">Green: as expected "
	     "for that kernel; red: deviates or error (never a pass); yellow: unpinned (the expectation accepts either outcome on that kernel: not a verdict); grey: skipped. <i>seed ✓/✗</i>: whether the "
	     "seed document's claim holds there. Open a cell for its observations, expectation and basis.</p>\n"
	     "<table><thead><tr><th>experiment/subtest</th>";
	for (const auto *r : m.runs)
		h << "<th class=\"kernel\" data-kernel=\"" << esc(r->kernel.release) << "\">" << esc(r->kernel.release)
		  << "<br><span class=\"version\">" << r->kernel.version.str()
		  << (ran_on(*r).empty() ? "" : " · " + esc(ran_on(*r))) << "</span></th>";
	h << "</tr></thead><tbody>\n";
	std::string experiment;
	for (const auto &row : m.rows) {
		std::string name = row.first + "/" + row.second;
		h << "<tr class=\"subtest" << (row.first != experiment ? " first-of-experiment" : "")
		  << "\" data-subtest=\"" << esc(name) << "\"><th class=\"subtest-name\">" << esc(row.first) << "/<b>"
		  << esc(row.second) << "</b></th>";
		experiment = row.first;
		for (size_t i = 0; i < m.runs.size(); ++i) {
			std::string kernel = esc(m.runs[i]->kernel.release);
			const SubtestResult *e = m.cell(i, row);
			if (!e) {
				h << "<td class=\"cell missing\" data-kernel=\"" << kernel << "\" data-subtest=\"" << esc(name)
				  << "\" data-verdict=\"none\">—</td>";
				continue;
			}
			std::string verdict = to_string(e->verdict);
			ClaimState seed = m.seed_state(i, row);
			h << "<td class=\"cell " << verdict << "\" data-kernel=\"" << kernel << "\" data-subtest=\""
			  << esc(name) << "\" data-verdict=\"" << verdict << "\" data-seed=\""
			  << (m.claim_of.count(row) ? to_string(seed) : "") << "\" title=\""
			  << esc(e->observations.dump()) << "\"><details><summary>";
			if (m.claim_of.count(row) && seed != ClaimState::NotMeasured)
				h << "<span class=\"seed " << to_string(seed) << "\">seed " << claim_mark(seed) << "</span>";
			if (!mark_of(e->verdict).empty())
				h << "<span class=\"mark\">" << mark_of(e->verdict) << "</span>";
			h << "<span class=\"headline\">" << esc(m.headline(i, row)) << "</span></summary><pre>observed: "
			  << esc(e->observations.dump(1)) << "\nexpected: " << esc(e->expected.dump(1))
			  << "\nbasis: " << esc(e->basis) << "\nreason: " << esc(e->reason) << "</pre>";
			if (auto f = e->evidence.find("pcap_file"); f != e->evidence.end() && f->is_string())
				h << "<a class=\"pcap\" href=\"" << esc(link_to(m, f->get<std::string>()))
				  << "\">frames (pcapng)</a>";
			h << "</details></td>";
		}
		h << "</tr>\n";
	}
	h << "</tbody></table></section>\n";
}

void timeline_section(std::ostringstream &h, const ReportModel &m)
{
	h << "<section id=\"timeline\"><h2>Findings timeline</h2>\n<p>Where each seed claim holds, kernels in "
	     "version order.</p>\n";
	if (m.timeline.empty())
		h << "<p>No subtest with a seed claim ran.</p>\n";
	std::string group;
	for (const auto &t : m.timeline) {
		if (t.id != group) {
			if (!group.empty())
				h << "</ul></div>\n";
			group = t.id;
			h << "<div class=\"seed-group\" data-experiment=\"" << esc(t.id) << "\" data-seed=\"" << esc(t.seed)
			  << "\"><h3>" << esc(t.id) << (t.seed.empty() ? "" : " <span class=\"version\">seed " + esc(t.seed) + "</span>")
			  << "</h3><ul>\n";
		}
		h << "<li class=\"claim\" data-subtest=\"" << esc(t.id + "/" + t.subtest) << "\"><b>" << esc(t.subtest)
		  << "</b>";
		if (!t.claim.text.empty())
			h << " <q>" << esc(t.claim.text) << "</q> <span class=\"observed-on\">observed on "
			  << esc(t.claim.observed_on) << "</span>";
		h << "<div class=\"claim-kernels\">";
		for (const auto &k : t.kernels)
			h << "<span class=\"claim-kernel " << to_string(k.state) << "\" data-kernel=\"" << esc(k.release)
			  << "\" data-state=\"" << to_string(k.state) << "\" title=\"" << esc(k.why_not) << "\">"
			  << k.version.str() << " " << claim_mark(k.state) << "</span>";
		h << "</div><div class=\"summary\">" << esc(timeline_summary(t)) << "</div></li>\n";
	}
	if (!group.empty())
		h << "</ul></div>\n";
	h << "</section>\n";
}

void changes_section(std::ostringstream &h, const char *id, const char *title, const std::vector<Change> &changes)
{
	h << "<section id=\"" << id << "\"><h2>" << title << "</h2>\n";
	if (changes.empty()) {
		h << "<p>Nothing differs.</p></section>\n";
		return;
	}
	h << "<table><tr><th>experiment/subtest</th><th>what</th><th>values</th></tr>\n";
	for (const auto &c : changes) {
		h << "<tr class=\"change\" data-subtest=\"" << esc(c.id + "/" + c.subtest) << "\" data-what=\""
		  << esc(c.what) << "\"><td>" << esc(c.id + "/" + c.subtest) << "</td><td>" << esc(c.what) << "</td><td>";
		for (const auto &[k, v] : c.values)
			h << "<div><b>" << esc(k) << "</b>: <code>" << esc(value_str(v)) << "</code></div>";
		h << "</td></tr>\n";
	}
	h << "</table></section>\n";
}

// Before the long list of changes, so that the screenshot, which ends above
// that list, shows the costs too.
void costs_section(std::ostringstream &h, const cost::CostTable &t)
{
	if (t.columns.empty())
		return;
	h << "<h2>What each feature costs</h2>\n<p>" << esc(t.note) << "</p>\n<table><tr><th>case</th>";
	for (const auto &c : t.columns)
		h << "<th>" << esc(c) << "</th>";
	h << "</tr>\n";
	for (size_t r = 0; r < t.rows.size(); ++r) {
		h << "<tr><td>" << esc(t.rows[r]) << "</td>";
		for (const auto &cell : t.cells[r])
			h << "<td>" << esc(cell) << "</td>";
		h << "</tr>\n";
	}
	h << "</table>\n";
}

} // namespace

int html_page_height(const ReportModel &m)
{
	// Row heights of the CSS above, generously: the screenshot should end
	// below the timeline and the list of problems, not cut into them.
	int h = 120 + 30 * static_cast<int>(m.runs.size() + 1);
	for (const auto &s : m.splats)
		h += 20 * static_cast<int>(s.size());
	h += 140 + 27 * static_cast<int>(m.rows.size());
	std::string group;
	for (const auto &t : m.timeline) {
		h += 70;
		if (t.id != group)
			h += 50;
		group = t.id;
	}
	h += 360 + 40 * static_cast<int>(m.problems.size());
	if (!m.costs.columns.empty())
		h += 160 + 48 * static_cast<int>(m.costs.rows.size());
	return std::min(h, 16000);
}

std::string render_html(const ReportModel &m)
{
	std::ostringstream h;
	h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>xdplab kernel matrix</title><style>"
	  << kCss << "</style></head><body>\n<h1>xdplab kernel matrix</h1>\n";
	kernels_table(h, m);
	matrix_table(h, m);
	timeline_section(h, m);
	h << "<section id=\"problems\"><h2>Deviations and errors</h2>\n<ul>";
	for (const auto &p : m.problems)
		h << "<li class=\"problem\">" << esc(p) << "</li>";
	h << (m.problems.empty() ? "<li>None.</li>" : "") << "</ul></section>\n";
	costs_section(h, m.costs);
	changes_section(h, "changes", "Changed between kernels", m.between);
	if (m.since_baseline)
		changes_section(h, "baseline-changes", "Changed since the baseline", *m.since_baseline);
	h << "</body></html>\n";
	return h.str();
}

} // namespace xdplab
