#include "junit.h"

#include <sstream>

namespace xdplab {

std::string markup_escape(const std::string &s)
{
	std::string o;
	for (char c : s) {
		switch (c) {
		case '&': o += "&amp;"; break;
		case '<': o += "&lt;"; break;
		case '>': o += "&gt;"; break;
		case '"': o += "&quot;"; break;
		default:
			if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
				o += ' ';
			else
				o += c;
		}
	}
	return o;
}

std::string to_junit(const RunResults &r)
{
	Summary s = r.summary();
	std::ostringstream x;
	x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	x << "<testsuites name=\"xdplab\" tests=\"" << r.experiments.size() << "\" failures=\"" << s.deviates
	  << "\" errors=\"" << s.error << "\" skipped=\"" << s.skipped + s.unpinned << "\">\n";
	x << "  <testsuite name=\"xdplab " << markup_escape(r.kernel.release) << "\" tests=\"" << r.experiments.size()
	  << "\" failures=\"" << s.deviates << "\" errors=\"" << s.error << "\" skipped=\"" << s.skipped + s.unpinned
	  << "\" time=\"" << r.duration_ms / 1000.0 << "\" timestamp=\"" << markup_escape(r.started) << "\">\n";
	x << "    <properties><property name=\"kernel\" value=\"" << markup_escape(r.kernel.release)
	  << "\"/></properties>\n";
	for (const auto &e : r.experiments) {
		x << "    <testcase classname=\"" << markup_escape(e.id) << "\" name=\"" << markup_escape(e.subtest)
		  << "\" time=\"" << e.duration_ms / 1000.0 << "\">";
		std::string detail = "observed: " + e.observations.dump() + "\nexpected: " + e.expected.dump() +
				     "\nbasis: " + e.basis;
		switch (e.verdict) {
		case Verdict::Confirmed: break;
		case Verdict::Deviates:
			x << "\n      <failure message=\"" << markup_escape(e.reason) << "\">" << markup_escape(detail)
			  << "</failure>\n    ";
			break;
		case Verdict::Error:
			x << "\n      <error message=\"" << markup_escape(e.reason) << "\">" << markup_escape(detail)
			  << "</error>\n    ";
			break;
		case Verdict::Skipped:
			x << "\n      <skipped message=\"" << markup_escape(e.reason) << "\"/>\n    ";
			break;
		case Verdict::Unpinned: // not a pass: JUnit's only non-failing state that is not green
			x << "\n      <skipped type=\"unpinned\" message=\"unpinned: " << markup_escape(e.reason) << "\">"
			  << markup_escape(detail) << "</skipped>\n    ";
			break;
		}
		x << "</testcase>\n";
	}
	x << "  </testsuite>\n</testsuites>\n";
	return x.str();
}

} // namespace xdplab
