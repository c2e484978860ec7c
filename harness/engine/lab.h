// The toolkit of an experiment that stays C++: a sequence of syscalls or
// tools a case file cannot say. Seven things to know, no more:
//
//   1. DeclaredExperiment<Params> (experiment.h): the id, the subtests with
//      their parameters, the observations; plan() returns a ProcedurePlan
//      whose `run` is the body, `network` whether it wants the lab network.
//   2. Lab: what the body acts through. It owns everything the body loads,
//      creates and attaches, and checks their release at teardown.
//   3. lab.step(what, op): one action, said in words and run; its result is
//      an observation value: 0, or the errno's name ("ENOENT"). --explain
//      prints the words of every step without running any: the explanation
//      is the body itself, never a restated text. errno_of(ret) and
//      errno_number(value) (observe.h) turn a return into that value and back.
//   4. lab.load(file, programs): a BPF object, the harness's own by file name
//      or any other; lab.create(what, op) owns a file descriptor op made;
//      lab.try_attach(link, fd, mode) attaches and detaches at once.
//   5. lab.observe(name, value) and lab.note(name, value): observations and
//      evidence.
//   6. SkipSubtest (plan.h): this kernel cannot run the subtest, and why.
//   7. XDPLAB_EXPERIMENT(Class): registration.
//
// The lab network, when asked for: one veth pair o0 ── r0, both ends in one
// namespace `dut`, whose run-unique ifindexes lab.ifindex() gives. The body
// runs inside dut (a devmap resolves ifindexes in the caller's namespace).
#pragma once
#include "../../netns/command.h"
#include "../plan.h"
#include "../xdp_attach.h"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace xdplab {

class CaseObject;
struct SubtestContext;

// A loaded object's programs and maps by name (in --explain: nothing loaded, -1 and 0).
class LabObject {
public:
	explicit LabObject(const CaseObject *obj) : obj_(obj) {}
	int fd(const std::string &program) const;
	unsigned id(const std::string &program) const;
	int map_fd(const std::string &map) const;
	unsigned map_id(const std::string &map) const;

private:
	const CaseObject *obj_;
};

// How a load the body expects may be refused went.
struct LoadOutcome {
	int err = 0;          // 0, or the positive errno
	std::string verifier; // the verifier's reason (its log's last line), "" when loaded
	std::string log;      // libbpf's whole account, for the evidence
};

class Lab {
public:
	Lab(SubtestContext &ctx, std::string subtest, bool explaining, std::ostream *explain);
	~Lab();
	Lab(const Lab &) = delete;
	Lab &operator=(const Lab &) = delete;

	const std::string &subtest() const { return subtest_; }
	bool explaining() const { return explain_ != nullptr; }
	bool has(const std::string &capability) const;

	// The lab network (ProcedurePlan::network).
	int ifindex(const std::string &link) const;
	std::string netns() const;
	std::string link(const std::string &name) const;

	json step(const std::string &what, const std::function<int()> &op);
	void must(const std::string &what, const std::function<int()> &op); // a setup step: throws when it fails
	int create(const std::string &what, const std::function<int()> &op); // an fd (owned) or -errno
	CommandResult tool(const std::vector<std::string> &argv);           // run inside dut; argv[0] by name ("bpftool")

	// Attaches to a link of the lab network and detaches again at once: the
	// errno (0 when it attached) and the kernel's extack.
	AttachFailure try_attach(const std::string &link, int prog_fd, XdpMode mode);

	const LabObject &load(const std::string &file, const std::vector<std::string> &programs = {},
			      const json &globals = json::object());
	LoadOutcome try_load(const std::string &file, const std::vector<std::string> &programs);
	// Unloads what load() made (before the lab ends, e.g. to read a pin after).
	void unload_all();
	// A path for a bpffs pin, under the run's own directory (pin_root()/
	// xdplab-<run>/<case>/NAME): removed with the lab, and by the sweep after a kill.
	std::string pin(const std::string &name);
	// A frame carrying the subtest's tag (for BPF_PROG_TEST_RUN).
	std::vector<uint8_t> tagged_frame() const;

	void observe(const std::string &name, json value);
	void note(const std::string &name, json value);
	Measurement &measurement() { return m_; }

	// Set up by the engine: the network's names and indexes.
	struct Network {
		std::string ns;
		std::map<std::string, std::pair<std::string, int>> links; // name -> (device, ifindex)
	};
	void set_network(Network n) { net_ = std::move(n); }

private:
	// Every step, creation, load, attach and tool run goes into the
	// evidence's "steps", with its result: the evidence says what was done.
	void record(json step);

	SubtestContext &ctx_;
	std::string subtest_;
	std::ostream *explain_;
	Network net_;
	Measurement m_;
	std::vector<int> fds_;
	std::vector<std::unique_ptr<CaseObject>> objects_;
	std::vector<std::unique_ptr<LabObject>> handles_;
	std::unique_ptr<class EventStream> events_;
	std::string pin_dir_, pin_run_dir_;
};

} // namespace xdplab
