// A case's namespaces and veth pairs declared on a Topology (netns/), with
// the run-unique ifindexes tracepoint attribution relies on. Shared by the
// run and by --explain, so both describe the same network.
#pragma once
#include "case_spec.h"

#include <map>
#include <string>
#include <vector>

namespace xdplab {

class Topology;
struct SubtestContext;

struct CaseLink {
	std::string name, ns_role, ns, dev; // case name, namespace (case / real), device name
	std::string peer, mac;
	int ifindex = 0, peer_ifindex = 0;
	std::vector<std::string> addresses; // CIDR as the case wrote them
};

struct CaseNetwork {
	std::map<std::string, std::string> namespaces; // case name -> real name
	std::map<std::string, CaseLink> links;
	const CaseLink &link(const std::string &name) const;
	// The link that has this address (without prefix), or nullptr.
	const CaseLink *owner_of(const std::string &address) const;
};

// Declares everything (nothing runs until topo.apply()). A key of a sysctl
// that names one of the namespace's links by its case name is rewritten to
// the device's name: net.ipv4.conf.r1.forwarding.
CaseNetwork declare_case_network(Topology &topo, const CaseSpec &spec, const SubtestContext &ctx);

// The same rewriting for a sysctl key given later (a sysctl step).
std::string sysctl_key_for(const CaseNetwork &net, const std::string &ns_role, const std::string &key);

} // namespace xdplab
