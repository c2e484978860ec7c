// check_case: a subtest's body, section by section (each section's checks are
// in case_check_*.cpp), then the observations and the settings that close it.
#include "case_check.h"

#include "case_checker.h"
#include "jq_observations.h"

#include <regex>

namespace xdplab {

// Sections in this order: each names only what the ones before have read
// (links name programs of objects, entries and steps name links and maps).
CaseSpec check_case(const LocatedDoc &body, const CaseContext &ctx, const std::string &subtest,
		    ObjectCatalog &objects)
{
	CaseChecker c{body, ctx, objects, {}, {}};
	c.spec.id = ctx.id;
	c.spec.subtest = subtest;
	c.spec.file = ctx.path;
	c.spec.dir = ctx.dir;
	c.object_section();
	c.links();
	c.namespaces();
	c.entries();
	c.receivers();
	c.traffic();
	c.observations();
	c.rest();
	return c.spec;
}

void CaseChecker::observations()
{
	std::string definitions;
	if (has("/definitions")) {
		// A text, or a mapping of texts (so that a case adds to what a file it includes defines).
		if (at("/definitions").is_object())
			for (const auto &k : d.keys_in_order("/definitions"))
				definitions += text("/definitions/" + pointer_token(k)) + "\n";
		else
			definitions = text("/definitions");
	}
	if (!has("/observe") || !at("/observe").is_object() || at("/observe").empty())
		fail("/observe", "observe: a mapping of observation name to a jq expression over the evidence");
	const json &os = at("/observe");
	for (auto it = os.begin(); it != os.end(); ++it) {
		std::string p = "/observe/" + pointer_token(it.key());
		if (!std::regex_match(it.key(), std::regex("^[a-z][a-z0-9_]*$")))
			fail(p, "an observation name is lower case letters, digits and _");
		spec.observe[it.key()] = text(p);
	}
	spec.definitions = definitions;
}

// The maps read after the traffic, and the switches of what else is collected.
void CaseChecker::rest()
{
	if (has("/read"))
		for (size_t i = 0; const auto &m : texts("/read")) {
			map_ref("/read" + (at("/read").is_array() ? "/" + std::to_string(i) : ""), m);
			spec.read_maps.push_back(m);
			++i;
		}
	if (has("/wait_for_copies"))
		spec.wait_for_copies = flag("/wait_for_copies");
	if (has("/kernel_log"))
		spec.kernel_log = flag("/kernel_log");
	if (has("/counters"))
		spec.counters = flag("/counters");
}

std::vector<Requirement> check_requirements(const LocatedDoc &doc, const std::string &pointer)
{
	json wrapped = {{"id", "x"}, {"title", "x"}, {"claim", "x"}, {"subtests", {{"x", {{"expect", json::array()}}}}}};
	wrapped["requires"] = doc.doc.at(json::json_pointer(pointer));
	try {
		return parse_expectations_doc(wrapped, doc.path, [&](const std::string &p) {
			       return doc.locate(pointer + p.substr(std::string("/requires").size()));
		       }).requires_;
	} catch (const ExpectationError &e) {
		throw CaseError(e.what());
	}
}

} // namespace xdplab
