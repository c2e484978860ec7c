// What a subtest does. A case file's subtest is data (CasePlan, harness/case/);
// an experiment that stays C++ gives a ProcedurePlan whose body acts through
// a Lab (harness/lab.h). The engine runs either, explains either (--explain)
// or leaves it up (--keep). Experiments never see tracefs or signals.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

struct Measurement {
	json observations = json::object();
	json evidence = json::object();
};

class Lab;

// A subtest that is a sequence of syscalls or tools (harness/lab.h): its body,
// and whether it wants the lab network (a veth pair o0 ── r0 in namespace dut).
struct ProcedurePlan {
	bool network = false;
	std::function<void(Lab &)> run;
};

// A subtest of a case file (harness/case/): data the case engine runs.
struct CaseSpec;
struct CasePlan {
	const CaseSpec *spec = nullptr;
};

using Plan = std::variant<ProcedurePlan, CasePlan>;

// Thrown by a procedure when this kernel cannot run the subtest (with why).
class SkipSubtest : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

} // namespace xdplab
