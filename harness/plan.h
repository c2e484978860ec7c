// What a subtest does, as data. An experiment turns its declared parameters
// into a Plan; the engine runs it (bench_run.h, procedure_run.h), prints it
// for --explain (explain.h) or leaves it up for --keep. Experiments never see
// dry runs, tracefs or signals.
#pragma once
#include "xdp_attach.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

// What the receiving veth peer of an egress link has, which decides whether
// a native redirect into the link is delivered (kernel-history row 7).
enum class Peer { None, Xdp, Gro };
std::string to_string(Peer p);

// Which devmap of the redirect chain: tx_array (DEVMAP), tx_hash (DEVMAP_HASH)
// or tx_group (a second DEVMAP, for broadcasts into one of several maps).
enum class Devmap { Array, Hash, Group };
std::string to_string(Devmap d);

// A key or value that may name a link: "the ifindex of o1". The engine
// resolves it once the topology's ifindexes are known.
struct Key {
	uint32_t value = 0;
	std::string ifindex_of; // a link role; when set, `value` is not used
	Key(uint32_t v = 0) : value(v) {}
	static Key ifindex(std::string role);
	std::string str() const; // "7", "ifindex of o1"
};

// One egress link o<i> of the bench and the receiver r<i> behind it.
struct Output {
	std::string name;  // what observations call it ("target", "first_target")
	Peer peer = Peer::Xdp;
};

struct RedirectCall {
	Devmap map = Devmap::Array;
	Key key;
	uint64_t flags = 0;
};

struct DevmapEntry {
	Devmap map = Devmap::Array;
	Key key;
	std::string target;      // egress link role: "o0", "o1", ...
	bool entry_prog = false; // store the devmap entry program (stage 2) with it
};

// How the ingress program ends after its redirect calls.
enum class Return { HelperValue, Redirect, Fixed };

// The bench of catalog A and C: a sender namespace, a "dut" namespace whose
// ingress link runs the staged ingress program, and egress links each leading
// to a receiver namespace of its own:
//
//   [snd] snd ── in [dut] o0 ── r0 [r0]
//                         o1 ── r1 [r1] ...
//
// Every frame's fate is watched: receivers behind each output, on the
// ingress link's own stack (XDP_PASS) and on the sender (XDP_TX).
struct BenchPlan {
	XdpMode mode = XdpMode::Native;    // how the ingress program is attached
	std::vector<Output> outputs;       // o0, o1, ...
	std::vector<RedirectCall> calls;   // 0, 1 or 2 bpf_redirect_map calls
	Return ret = Return::HelperValue;
	uint32_t fixed_action = 2;         // with Return::Fixed (XDP_PASS)
	std::optional<uint32_t> meta_value; // ingress writes 4 bytes of data_meta (value ^ seq)
	uint32_t entry_verdict = 2;        // what the entry program returns (XDP_PASS)
	std::vector<DevmapEntry> entries;
	// The ingress attach may be refused: that is then the observation, and
	// nothing is sent (e.g. generic mode with an 8-byte devmap before 5.15).
	bool attach_may_fail = false;
	// Wait a quiet time after every frame is accounted for: set where the
	// absence of further copies is what the subtest measures.
	bool measures_absence = false;
};

// What a procedure (a subtest that is not the bench) may use.
class ProcedureContext {
public:
	virtual ~ProcedureContext() = default;
	virtual std::string netns(const std::string &role) const = 0;
	virtual int ifindex(const std::string &link_role) const = 0;
	virtual std::string link(const std::string &link_role) const = 0;
	virtual std::string netns_of(const std::string &link_role) const = 0; // the namespace a link is in
	virtual uint32_t run_tag() const = 0;
	virtual uint32_t case_id() const = 0;
	virtual bool has(const std::string &capability) const = 0;
	// How long the run allows frames to take to be accounted for (--timeout-ms).
	virtual int frame_timeout_ms() const = 0;
	virtual class EventStream &events() = 0;
};

struct Measurement {
	json observations = json::object();
	json evidence = json::object();
};

// A subtest that is a sequence of steps (syscalls, tools, traffic of its own)
// in a small topology, declared here as data like the bench.
struct ProcedurePlan {
	struct Veth {
		std::string ns_a, link_a, ns_b, link_b; // namespace and link roles
		int mtu = 0;                            // both ends; 0: the kernel's default
	};
	struct Address {
		std::string link; // link role
		std::string cidr; // from 198.18.0.0/15 or fd00::/8 only
	};
	struct Route {
		std::string ns;                // namespace role
		std::vector<std::string> spec; // e.g. {"198.18.2.0/24", "via", "198.18.1.1"}
	};
	struct Sysctl {
		std::string ns, key, value; // e.g. {"rtr", "net.ipv4.conf.all.forwarding", "1"}
	};
	struct Offload {
		std::string link, feature;
		bool on = true;
	};
	std::vector<std::string> namespaces;      // roles
	std::vector<Veth> veths;
	std::vector<std::string> ipv6_namespaces; // roles with IPv6 on (DAD off); the others have it off
	std::vector<Address> addresses;
	std::vector<Route> routes;
	std::vector<Sysctl> sysctls;
	std::vector<Offload> offloads;
	std::vector<std::string> steps;      // what run() does, in words and commands, for --explain
	std::function<Measurement(ProcedureContext &)> run;
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
