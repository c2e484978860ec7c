// Results of a run: the model and its own document (xdplab-results/1).
// Other tools' formats (JUnit, KTAP, KCIDB, the terminal table) are in formats/.
#pragma once
#include "kernel_version.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

// Unpinned: the observations match, but the expectation for this kernel
// accepts more than one value for an observation the claim is about, so the
// run could not have failed there: recorded with what was observed, never
// counted as confirmed.
enum class Verdict { Confirmed, Deviates, Skipped, Error, Unpinned };
std::string to_string(Verdict v);
Verdict verdict_from_string(const std::string &s);

struct SubtestResult {
	std::string id, subtest;
	Verdict verdict = Verdict::Error;
	std::string reason;
	json observations = json::object();
	json expected = json::object();
	std::string basis;
	std::optional<bool> seed_claim_holds;
	json evidence = json::object();
	long duration_ms = 0;
};

struct Summary {
	int confirmed = 0, deviates = 0, skipped = 0, error = 0, unpinned = 0;
};

struct RunResults {
	static constexpr const char *kSchema = "xdplab-results/1";
	RunningKernel kernel;
	std::string started; // ISO 8601, UTC
	long duration_ms = 0;
	std::vector<SubtestResult> experiments;
	// How the kernel was run, when a matrix ran it: {"kind": "host"} or
	// {"kind": "vm", "accel": "tcg", "package": ..., "image": ...}; null otherwise.
	json runner;
	// The cost bench's figures (harness/cost/benchmarks.h); null when none ran.
	json benchmarks;
	// The expectation documents of the experiments that ran (id -> document):
	// titles, claims, headlines and seed claims for the report, also of a
	// user's case files that live nowhere else.
	json catalog;
	Summary summary() const;
	// 0 nothing deviates or errs, 1 something deviates, 2 something errs.
	int exit_code() const;
};

// A results document and the file it was read from.
struct ResultFile {
	std::string path;
	RunResults results;
};

json to_json(const RunResults &r);
RunResults results_from_json(const json &doc); // throws std::runtime_error on a foreign document

// Write to PATH.tmp, fsync, rename: readers never see a partial file.
void write_file_atomic(const std::string &path, const std::string &content);


std::string iso8601_now();

} // namespace xdplab
