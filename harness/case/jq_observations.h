// Observations as jq expressions over a subtest's evidence document, through
// libjq: the language XDP users already script `bpftool -j` and `ip -j`
// with, so an observation can be tried by hand with `jq EXPR evidence.json`.
// A small prelude adds the harness's vocabulary (README, "Observations").
//
// libjq rebuilds its builtins on every compile (about 30 ms), so every
// subtest's observations registered in the process are compiled together, as
// the branches of one program, once, when the first is evaluated.
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

class JqError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// The harness's functions, prepended to every program (jq `def`s).
const std::string &jq_prelude();

// One subtest's observations: name -> expression, evaluated together, with
// the case's own jq `def`s.
struct ObservationSet {
	std::map<std::string, std::string> observe;
	std::string definitions;
};

class ObservationProgram {
public:
	explicit ObservationProgram(const ObservationSet &set); // registers it; compiles nothing yet
	// Each observation's value (the expression's first output; null when it
	// has none). Throws JqError naming the observation that failed.
	json evaluate(const json &evidence) const;
	// Compiles every set registered so far (a run starts it on a thread of
	// its own, so that the first subtest to finish does not wait for it).
	static void compile_registered();

private:
	size_t key_;
	ObservationSet set_;
};

// Why these sets do not compile ("" when they do), naming the set and the
// observation at fault: one compile for all of them, more only on failure.
struct JqProblem {
	size_t set = 0;          // index into `sets`
	std::string observation; // "" for the definitions
	std::string message;
};
std::optional<JqProblem> jq_check(const std::vector<ObservationSet> &sets);

} // namespace xdplab
