// The report on disk: markdown, HTML, one JUnit file per kernel, and a
// screenshot of the page when a browser is there to take it.
#include "report.h"
#include "../browser.h"
#include "../results.h"
#include "../formats/junit.h"

#include <filesystem>
#include <set>

namespace xdplab {

namespace fs = std::filesystem;

void write_report(const std::vector<ResultFile> &current, const std::optional<std::vector<ResultFile>> &baseline,
		  const std::string &out_dir, const ReportOptions &options, std::ostream &notes)
{
	fs::create_directories(out_dir);
	// What the results carry, never today's expectation files: results are
	// shown with the titles and headlines of the run that wrote them. Results
	// of an xdplab that did not record its catalog are shown by id alone.
	std::vector<ExpectationFile> expectations;
	std::set<std::string> ids;
	for (const auto &f : current) {
		if (!f.results.catalog.is_object()) {
			notes << "report: " << f.path << " carries no catalog (written by an older xdplab): its experiments are "
			      << "shown without titles and headlines\n";
			continue;
		}
		for (auto it = f.results.catalog.begin(); it != f.results.catalog.end(); ++it)
			if (ids.insert(it.key()).second)
				expectations.push_back(parse_expectations_doc(it.value(), f.path + ": catalog/" + it.key()));
	}
	Report r = make_report(current, baseline, expectations, out_dir);
	write_file_atomic(out_dir + "/report.md", r.markdown);
	write_file_atomic(out_dir + "/report.html", r.html);
	for (const auto &f : current)
		write_file_atomic(out_dir + "/junit-" + f.results.kernel.release + ".xml", to_junit(f.results));
	if (!options.screenshot)
		return;
	std::string png = out_dir + "/report.png";
	if (chromium_path().empty()) {
		notes << "report: no screenshot (chromium is not installed)\n";
		return;
	}
	try {
		screenshot(out_dir + "/report.html", png, 1600, r.page_height);
		notes << "report: screenshot " << png << "\n";
	} catch (const BrowserError &e) {
		notes << "report: no screenshot: " << e.what() << "\n";
	}
}

} // namespace xdplab
