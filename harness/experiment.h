// What an experiment is to the engine: an id, its subtests, and a procedure
// that measures observations. Expectations live in experiments/<id>.json;
// the engine compares. Adding an experiment is one .cpp and one .json in
// experiments/, registered with XDPLAB_EXPERIMENT.
#pragma once
#include "kernel_version.h"
#include "verdict.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;
class TraceInstance;

// Thrown by a procedure when this kernel cannot run the subtest (with why).
class SkipSubtest : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// Thrown when SIGINT/SIGTERM arrived: unwinding tears everything down.
class Interrupted : public std::runtime_error {
public:
	Interrupted() : std::runtime_error("interrupted") {}
};

// Thrown in a dry run (--explain) once the procedure has printed its commands.
class ExplainedOnly : public std::runtime_error {
public:
	ExplainedOnly() : std::runtime_error("explained only") {}
};

// Everything a procedure may use from the engine for one subtest.
struct Lab {
	std::string run_id;      // 6 hex digits, in every name the run creates
	uint32_t run_tag = 0;    // the same id as a number, in every frame
	uint32_t case_id = 0;    // unique per subtest within the run
	std::string scope() const { return "c" + std::to_string(case_id) + "-"; } // for namespace names
	RunningKernel kernel;
	Capabilities caps;
	int packets = 32;        // frames per case
	int settle_ms = 300;     // quiet time that ends a subtest's collection
	bool keep = false;       // leave the topology up (--keep)
	bool dry_run = false;    // --explain: record commands, touch nothing
	TraceInstance *trace = nullptr;
	std::string tracefs_root;
	std::ostream *explain = nullptr; // where --explain and --keep write
	std::function<void()> check_interrupt = [] {};
};

struct Measurement {
	json observations = json::object();
	json evidence = json::object();
};

class Experiment {
public:
	virtual ~Experiment() = default;
	virtual std::string id() const = 0;
	virtual std::vector<std::string> subtests() const = 0;
	virtual Measurement run(const std::string &subtest, Lab &lab) = 0;
};

using ExperimentFactory = std::function<std::unique_ptr<Experiment>()>;
std::vector<ExperimentFactory> &experiment_registry();

template <class T> struct ExperimentRegistrar {
	ExperimentRegistrar()
	{
		experiment_registry().push_back([] { return std::make_unique<T>(); });
	}
};

#define XDPLAB_EXPERIMENT(Class) static ::xdplab::ExperimentRegistrar<Class> xdplab_registrar_##Class

} // namespace xdplab
