// A case: a question about XDP as data. The file a user writes holds the
// topology, the BPF objects (their own, by file), what goes into maps, the
// traffic, what to observe (jq expressions over the subtest's evidence) and
// the expectations per kernel range, in the language the catalog uses.
//
// A case has subtests; each is the case with the subtest's `with:` merged in
// (objects merge key by key, null deletes, anything else replaces), so a
// subtest says only what differs. CaseSpec is one subtest, resolved and
// checked: names it uses exist, addresses are the harness's own.
#pragma once
#include "../expectations.h"
#include "../xdp_attach.h"
#include "jq_observations.h"
#include "located_doc.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xdplab {

struct NamespaceSpec {
	std::string name;
	bool ipv6 = false;                          // IPv6 on (DAD off); otherwise off
	std::vector<std::vector<std::string>> routes; // `ip route replace` arguments, e.g. {"default", "via", "198.18.1.1"}
	std::vector<std::pair<std::string, std::string>> sysctls; // key (a link's name may appear), value
};

// Where a program comes from: "object/program" in the case's objects.
struct ProgramRef {
	std::string object, program;
	std::string str() const { return object + "/" + program; }
};

struct XdpSpec {
	ProgramRef program;
	XdpMode mode = XdpMode::Native;
	bool may_fail = false; // a refusal is an observation (.attach.<link>), not an error; nothing is sent then
};

// One end of a veth pair; `peer` is set on one end (or both, naming each other).
struct LinkSpec {
	std::string name, ns, peer;
	std::vector<std::string> addresses; // CIDR, from 198.18.0.0/15 or fd00::/8
	std::string mac;                    // "" : the harness assigns one
	int mtu = 0;                        // 0 : the kernel's default
	std::vector<std::pair<std::string, bool>> offloads; // ethtool -K feature on|off (gro, tx, ...)
	std::optional<XdpSpec> xdp;
	std::optional<ProgramRef> tc; // on its tc ingress hook (clsact, direct-action): sees the skb after XDP_PASS
};

// A map's shape changed before load, e.g. a DEVMAP given 4-byte values.
struct MapShape {
	std::optional<uint32_t> value_size, max_entries;
};

struct ObjectSpec {
	std::string name;
	std::string file;                      // resolved path, or "builtin:<name>" for the harness's own objects
	std::string file_as_written;
	json globals = json::object();         // .rodata/.data/.bss variables set before load (symbolic values allowed)
	std::map<std::string, MapShape> maps;
	std::vector<std::string> programs;     // load only these (empty: all)
	bool may_fail = false;                 // a refused load is an observation (.load.<object>)
};

struct MapEntrySpec {
	std::string object, map;
	json key, value;       // symbolic: {ifindex: link}, {mac: link}, {prog: obj/prog}, numbers, ...
	bool may_fail = false; // the errno is an observation (.map_updates[i].errno), not an error
	std::string pointer;   // where it was written, for messages
};

// One step of the traffic, run in order. `args` is checked by the step's kind.
struct StepSpec {
	std::string kind;  // frames | ping | tcp | test_run | sysctl | read
	std::string name;  // key of its result in .steps
	json args;
	std::string pointer;
};

struct CaseSpec {
	std::string id, subtest, file;
	std::string dir; // the case file's directory: objects are found from there
	std::vector<NamespaceSpec> namespaces;
	std::vector<LinkSpec> links;
	std::vector<ObjectSpec> objects;
	std::vector<MapEntrySpec> entries;
	std::map<std::string, std::string> receivers; // name -> link
	std::vector<StepSpec> steps;
	std::map<std::string, std::string> observe;   // observation -> jq expression
	std::string definitions;                      // the case's own jq `def`s
	std::shared_ptr<const ObservationProgram> program; // both, registered for evaluation
	std::vector<std::string> read_maps;           // "object/map": dumped into .maps at the end
	bool wait_for_copies = false; // after every frame is accounted for, wait --settle-ms for further copies
	bool kernel_log = false;      // put the kernel's log (/dev/kmsg) into the evidence
	bool counters = false;        // every link's counters (ip -s link, ethtool -S), as moved by the traffic
	std::vector<Requirement> requires_;           // the subtest's own, besides the file's

	const LinkSpec *link(const std::string &name) const;
	const ObjectSpec *object(const std::string &name) const;
};

// A whole case file: its expectations (the catalog's format), and each
// subtest's resolved case. Every problem is a CaseError naming file:line:column.
// A kernel warning a case provokes on purpose (and observes itself): a splat
// matching `pattern` while its subtests run is not a failure of the run.
struct ProvokedWarningSpec {
	std::string pattern, why;
};

struct CaseFile {
	std::string path;
	ExpectationFile expectations;
	std::vector<ProvokedWarningSpec> kernel_warnings;
	std::vector<std::string> subtests; // in file order
	std::map<std::string, CaseSpec> specs;
	json document;                     // the merged document, for --explain and the results
	std::vector<std::string> sources;  // the file and every file it includes
	// Files it needs besides its own (object files that are not the harness's).
	std::vector<std::string> object_files() const;
};

// Reads, merges (`include:`), resolves every subtest and checks it. Objects
// named by a bare file name are looked for beside the case file first, then
// among the harness's own (bpf/*.bpf.c, built in). With check_observations,
// the jq expressions are compiled too (a user's file, the lint); otherwise
// they first compile when a subtest runs (libjq compiles slowly).
CaseFile load_case_file(const std::string &path, bool check_observations = true);

// The harness's own BPF objects a case may name by file, e.g. "redirect_chain.bpf.o".
bool is_builtin_object(const std::string &file);

} // namespace xdplab
