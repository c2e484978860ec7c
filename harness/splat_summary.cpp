#include "splat_summary.h"
#include "kernel_log.h"

#include <regex>

namespace xdplab {

std::string subtest_of_progress(const std::string &progress_line)
{
	// The progress line format of runner.cpp, as kernel_log.cpp finds it.
	static const std::regex progress(R"(\[\d+/\d+\] (\S+/\S+) \.\.\.)");
	std::smatch m;
	return std::regex_search(progress_line, m, progress) ? m[1].str() : "";
}

namespace {

std::string first_line_of(const std::string &text)
{
	return text.substr(0, text.find('\n'));
}

std::string string_at(const json &obj, const char *key)
{
	return obj.is_object() && obj.contains(key) && obj[key].is_string() ? obj[key].get<std::string>() : "";
}

} // namespace

std::vector<SplatSeen> splats_of(const RunResults &r)
{
	std::vector<SplatSeen> out;
	for (const auto &e : r.experiments) {
		if (e.id != "kernel" || e.subtest != "splat")
			continue;
		std::string first = first_line_of(string_at(e.evidence, "report"));
		std::string during;
		if (e.evidence.is_object() && e.evidence.contains("running") && e.evidence["running"].is_array())
			for (const auto &name : e.evidence["running"])
				if (name.is_string())
					during += (during.empty() ? "" : ", ") + name.get<std::string>();
		if (during.empty())
			during = subtest_of_progress(string_at(e.evidence, "last_progress_before"));
		out.push_back({first.empty() ? e.reason : first, during});
	}
	// A dead guest's splats are in every one of its error results: the same
	// console, so the first result that carries them speaks for all. Results
	// written before the matrix listed them keep the console's tail.
	for (const auto &e : r.experiments) {
		if (e.evidence.is_object() && e.evidence.contains("splats") && e.evidence["splats"].is_array()) {
			for (const auto &s : e.evidence["splats"])
				out.push_back({string_at(s, "first_line"), subtest_of_progress(string_at(s, "after"))});
			break;
		}
		if (std::string tail = string_at(e.evidence, "console_tail"); !tail.empty()) {
			for (const auto &s : find_splats(tail))
				out.push_back({s.first_line, subtest_of_progress(s.after)});
			break;
		}
	}
	return out;
}

} // namespace xdplab
