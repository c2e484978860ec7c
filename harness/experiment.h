// What an experiment is to the engine: an id, its subtests each with its
// parameters, the observations it measures, a plan per subtest and a way to
// turn what the engine measured into observations. Everything is declared
// once, in the experiment's constructor; expectations live apart, in
// experiments/<id>.json. Adding an experiment is one .cpp and one .json in
// experiments/, registered with XDPLAB_EXPERIMENT; no engine code changes.
#pragma once
#include "expectations.h"
#include "plan.h"

#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

class Experiment {
public:
	virtual ~Experiment() = default;
	const std::string &id() const { return id_; }
	const std::vector<std::string> &subtests() const { return subtest_names_; }
	// Every observation name a subtest reports.
	virtual std::set<std::string> observation_names(const std::string &subtest) const;
	// Requirements of one subtest beyond the expectation file's (cases may have them).
	virtual std::vector<Requirement> subtest_requirements(const std::string &) const { return {}; }
	// Real tools (ping, a TCP transfer) go at their own pace: such subtests
	// start first, so that their waiting overlaps the other subtests' work
	// instead of trailing at the end of the run.
	virtual bool paced_by_tools(const std::string &) const { return false; }

	// Kernel warnings a subtest provokes on purpose and records as an
	// observation: a splat matching one (std::regex, searched in the whole
	// report) logged while one of this experiment's subtests ran is not a failure.
	struct ProvokedWarning {
		std::string pattern;
		std::string why;
	};
	const std::vector<ProvokedWarning> &provoked_kernel_warnings() const { return provoked_; }

	virtual Plan plan(const std::string &subtest) const = 0;

protected:
	Experiment(std::string id, std::vector<std::string> subtests, std::vector<std::string> observations)
		: id_(std::move(id)), subtest_names_(std::move(subtests)), observations_(std::move(observations))
	{
	}
	void provokes_kernel_warning(std::string pattern, std::string why)
	{
		provoked_.push_back({std::move(pattern), std::move(why)});
	}

private:
	std::string id_;
	std::vector<std::string> subtest_names_;
	std::vector<std::string> observations_;
	std::vector<ProvokedWarning> provoked_;
};

// An experiment whose subtests are rows of (name, parameters). The Params
// struct and the class need names of their own (or an unnamed namespace):
// two files' DeclaredExperiment<Params> with the same Params name would be
// one type to the linker, and one of them would silently win.
//
//
//   struct Params { XdpMode mode; Peer peer; };
//   class VethPeerNeedsXdp : public DeclaredExperiment<Params> { ...
//     VethPeerNeedsXdp() : DeclaredExperiment("veth-peer-needs-xdp",
//         {{"none", {.mode = XdpMode::Native, .peer = Peer::None}}, ...},
//         {"target_xdp_features"}) {}
//     Plan plan(const Params &p) const override { return ProcedurePlan{...}; }
template <class Params> class DeclaredExperiment : public Experiment {
public:
	struct Subtest {
		std::string name;
		Params params;
	};

	Plan plan(const std::string &subtest) const final { return plan(params(subtest)); }

protected:
	DeclaredExperiment(std::string id, std::vector<Subtest> subtests, std::vector<std::string> observations)
		: Experiment(std::move(id), names_of(subtests), std::move(observations)), rows_(std::move(subtests))
	{
	}
	virtual Plan plan(const Params &p) const = 0;

private:
	static std::vector<std::string> names_of(const std::vector<Subtest> &rows)
	{
		std::vector<std::string> out;
		for (const auto &r : rows)
			out.push_back(r.name);
		return out;
	}
	const Params &params(const std::string &subtest) const
	{
		for (const auto &r : rows_)
			if (r.name == subtest)
				return r.params;
		throw std::invalid_argument(id() + " has no subtest " + subtest);
	}
	std::vector<Subtest> rows_;
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
