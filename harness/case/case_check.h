// One subtest's case body, checked and turned into a CaseSpec: every key
// known, every link, namespace, object, program and map it names exists,
// every address is the harness's own, every step's arguments are right and
// every observation compiles. A problem is a CaseError at file:line:column.
#pragma once
#include "case_object.h"
#include "case_spec.h"
#include "located_doc.h"

#include <map>
#include <string>

namespace xdplab {

struct CaseContext {
	std::string path, dir, id;
};

// Object files opened once per case file (each subtest names the same ones).
class ObjectCatalog {
public:
	const ObjectShape &shape(const std::string &file);

private:
	std::map<std::string, ObjectShape> shapes_;
};

CaseSpec check_case(const LocatedDoc &body, const CaseContext &ctx, const std::string &subtest,
		    ObjectCatalog &objects);

std::vector<Requirement> check_requirements(const LocatedDoc &doc, const std::string &pointer);

// The step kinds a case's traffic may use, in README's order.
const std::vector<std::string> &step_kinds();

} // namespace xdplab
