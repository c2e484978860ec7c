// Inside check_case (case_check.h): the checker of one subtest's body, its
// sections in one file each (case_check*.cpp) and the readers they share
// (case_checker.cpp). Every failure names where in the file, through the
// LocatedDoc's JSON pointers. Not for use outside case_check*.cpp.
#pragma once
#include "case_check.h"
#include "case_object.h"
#include "case_spec.h"
#include "located_doc.h"

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace xdplab {

// Reads one subtest's body; every failure names where in the file.
struct CaseChecker {
	const LocatedDoc &d;
	const CaseContext &ctx;
	ObjectCatalog &objects;
	CaseSpec spec;
	std::map<std::string, ObjectShape> shapes; // object name -> what its file holds

	[[noreturn]] void fail(const std::string &at, const std::string &what) const { d.fail(at, what); }

	const json &at(const std::string &p) const { return d.doc.at(json::json_pointer(p)); }
	bool has(const std::string &p) const { return d.doc.contains(json::json_pointer(p)); }

	// ---- readers of one value (case_checker.cpp) --------------------------

	void keys(const std::string &p, std::initializer_list<const char *> allowed) const;
	std::string text(const std::string &p) const;
	bool flag(const std::string &p) const;
	long integer(const std::string &p, long lo, long hi) const;
	std::vector<std::string> texts(const std::string &p) const; // a text or a list of texts
	void harness_address(const std::string &p, const std::string &addr, bool cidr) const;
	static bool is_mac(const std::string &text);

	// Names of what the sections before have read: links, programs, maps.
	std::string link_names() const;
	void known_link(const std::string &p, const std::string &name) const;
	ProgramRef program(const std::string &p, const std::string &ref) const;
	std::pair<std::string, std::string> map_ref(const std::string &p, const std::string &ref) const;
	// Symbols inside a value must name what the case has.
	void symbols(const std::string &p, const json &v) const;

	// ---- sections, in the order check_case reads them ---------------------

	// case_check_objects.cpp
	std::string resolve_file(const std::string &p, const std::string &file) const;
	void object_section();
	void entries();

	// case_check_links.cpp
	void links();
	XdpSpec xdp(const std::string &p);
	void namespaces();
	void receivers();

	// case_check_traffic.cpp: the step list, then each kind's arguments
	void traffic();
	void step_arguments(const StepSpec &s, const std::string &step_pointer);
	void frames_args(const std::string &a);
	void ping_args(const std::string &a);
	void tcp_args(const std::string &a);
	void test_run_args(const std::string &a);
	void sysctl_args(const std::string &a, const json &args);
	void mtu_limit_args(const std::string &a);
	void read_args(const std::string &a);
	void tagged_frame_args(const std::string &p, bool needs_from); // frames and test_run

	// case_check.cpp
	void observations();
	void rest();
};

} // namespace xdplab
