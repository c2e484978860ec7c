// Choosing subtests from the catalog by id and glob, and the order they run in.
#include "runner_jobs.h"

#include <fnmatch.h>

#include <algorithm>

namespace xdplab {

std::vector<Selection> select(const std::vector<CatalogEntry> &catalog, const std::vector<std::string> &selectors)
{
	std::vector<Selection> out;
	auto add = [&](const CatalogEntry &e, const std::string &sub) {
		for (auto &s : out)
			if (s.entry == &e) {
				if (std::find(s.subtests.begin(), s.subtests.end(), sub) == s.subtests.end())
					s.subtests.push_back(sub);
				return;
			}
		out.push_back({&e, {sub}});
	};
	if (selectors.empty()) {
		for (const auto &e : catalog)
			for (const auto &s : e.experiment->subtests())
				add(e, s);
		return out;
	}
	for (const auto &sel : selectors) {
		std::string id_pat = sel, sub_pat = "*";
		if (auto slash = sel.find('/'); slash != std::string::npos) {
			id_pat = sel.substr(0, slash);
			sub_pat = sel.substr(slash + 1);
		}
		bool hit = false;
		for (const auto &e : catalog) {
			if (fnmatch(id_pat.c_str(), e.experiment->id().c_str(), 0) != 0)
				continue;
			for (const auto &s : e.experiment->subtests())
				if (fnmatch(sub_pat.c_str(), s.c_str(), 0) == 0) {
					add(e, s);
					hit = true;
				}
		}
		if (!hit)
			throw ConfigError("unknown experiment \"" + sel + "\" (see ./run.sh --list)");
	}
	return out;
}

std::vector<SubtestJob> subtest_jobs(const std::vector<Selection> &selection)
{
	std::vector<SubtestJob> jobs;
	uint32_t case_id = 0;
	for (const auto &sel : selection)
		for (const auto &sub : sel.subtests)
			jobs.push_back({sel.entry, sub, ++case_id});
	// Subtests paced by tools first, the rest in their order (the results
	// keep the selection's order: case ids follow it).
	std::stable_partition(jobs.begin(), jobs.end(),
			      [](const SubtestJob &j) { return j.entry->experiment->paced_by_tools(j.subtest); });
	return jobs;
}

} // namespace xdplab
