// A case body's network: its links (veth ends, their addresses, offloads, XDP
// and tc programs), the namespaces they are in, and the receivers that
// capture on them.
#include "case_checker.h"

#include "../../netns/address.h"
#include "../../netns/ifindex.h"

#include <regex>
#include <set>
#include <sstream>

namespace xdplab {

namespace {

const std::regex kLinkName("^[a-z][a-z0-9_]{0,5}$");
const std::regex kNsName("^[a-z][a-z0-9_]{0,15}$");

} // namespace

void CaseChecker::links()
{
	if (!has("/links"))
		return; // a case of syscalls and BPF_PROG_TEST_RUN needs no network
	if (!at("/links").is_object())
		fail("/links", "links: a mapping of link name to {ns, peer, address, xdp, ...}");
	// In the order written: the k-th link gets the subtest's k-th ifindex.
	for (const auto &name : d.keys_in_order("/links")) {
		std::string p = "/links/" + pointer_token(name);
		if (!std::regex_match(name, kLinkName))
			fail(p, "a link name is 1-6 of a-z, 0-9, _ starting with a letter (the kernel's IFNAMSIZ, "
				"with the run's prefix)");
		keys(p, {"ns", "peer", "address", "addresses", "mac", "mtu", "gro", "offloads", "xdp", "tc"});
		LinkSpec l;
		l.name = name;
		if (!has(p + "/ns"))
			fail(p, "missing \"ns\": the namespace this end of the veth pair is in");
		l.ns = text(p + "/ns");
		if (!std::regex_match(l.ns, kNsName))
			fail(p + "/ns", "a namespace name is 1-16 of a-z, 0-9, _ (starting with a letter)");
		if (has(p + "/peer"))
			l.peer = text(p + "/peer");
		for (const char *k : {"address", "addresses"})
			if (has(p + "/" + k))
				for (size_t i = 0; const auto &a : texts(p + "/" + k)) {
					harness_address(p + "/" + k + (at(p + "/" + k).is_array() ? "/" + std::to_string(i) : ""), a, true);
					l.addresses.push_back(a);
					++i;
				}
		if (has(p + "/mac")) {
			l.mac = text(p + "/mac");
			if (!is_mac(l.mac))
				fail(p + "/mac", "a MAC is six hex pairs, 02:00:00:00:00:01");
		}
		if (has(p + "/mtu"))
			l.mtu = static_cast<int>(integer(p + "/mtu", 68, 65535));
		if (has(p + "/gro"))
			l.offloads.push_back({"gro", flag(p + "/gro")});
		if (has(p + "/offloads")) {
			const json &o = at(p + "/offloads");
			if (!o.is_object())
				fail(p + "/offloads", "offloads: a mapping of ethtool feature to true/false");
			for (auto f = o.begin(); f != o.end(); ++f) {
				if (!std::regex_match(f.key(), std::regex("^[a-z0-9-]+$")))
					fail(p + "/offloads/" + pointer_token(f.key()), "not an ethtool feature name");
				l.offloads.push_back({f.key(), flag(p + "/offloads/" + pointer_token(f.key()))});
			}
		}
		if (has(p + "/xdp") && !at(p + "/xdp").is_null())
			l.xdp = xdp(p + "/xdp");
		if (has(p + "/tc") && !at(p + "/tc").is_null())
			l.tc = program(p + "/tc", text(p + "/tc"));
		spec.links.push_back(l);
	}
	if (spec.links.size() > kMaxLinksPerCase)
		fail("/links", "at most " + std::to_string(kMaxLinksPerCase) + " links in a case");
	// Pairs: each link is one end of exactly one veth pair.
	for (auto &l : spec.links) {
		std::string p = "/links/" + pointer_token(l.name);
		if (l.peer.empty())
			continue;
		auto *other = const_cast<LinkSpec *>(spec.link(l.peer));
		if (!other)
			fail(p + "/peer", "no link \"" + l.peer + "\" (links: " + link_names() + ")");
		if (other == &l)
			fail(p + "/peer", "a link cannot be its own peer");
		if (!other->peer.empty() && other->peer != l.name)
			fail(p + "/peer", l.peer + " is already the peer of " + other->peer);
		other->peer = l.name;
	}
	for (const auto &l : spec.links)
		if (l.peer.empty())
			fail("/links/" + pointer_token(l.name),
			     "link " + l.name + " has no peer: every link is one end of a veth pair (peer: <other link>)");
}

XdpSpec CaseChecker::xdp(const std::string &p)
{
	XdpSpec x;
	const json &v = at(p);
	std::string prog;
	if (v.is_string()) {
		prog = v.get<std::string>();
	} else {
		keys(p, {"program", "mode", "may_fail"});
		if (!has(p + "/program"))
			fail(p, "xdp: needs a program (object/program)");
		prog = text(p + "/program");
		if (has(p + "/mode")) {
			std::string m = text(p + "/mode");
			if (m != "native" && m != "generic")
				fail(p + "/mode", "mode is native or generic");
			x.mode = m == "native" ? XdpMode::Native : XdpMode::Generic;
		}
		if (has(p + "/may_fail"))
			x.may_fail = flag(p + "/may_fail");
	}
	x.program = program(v.is_string() ? p : p + "/program", prog);
	return x;
}

// Every namespace a link is in, with the settings the case gives it (if any):
// the links name the namespaces, so namespaces: only sets up one of those.
void CaseChecker::namespaces()
{
	std::set<std::string> named;
	for (const auto &l : spec.links)
		named.insert(l.ns);
	if (has("/namespaces")) {
		const json &ns = at("/namespaces");
		if (!ns.is_object())
			fail("/namespaces", "namespaces: a mapping of namespace name to its settings");
		for (auto it = ns.begin(); it != ns.end(); ++it) {
			std::string p = "/namespaces/" + pointer_token(it.key());
			if (!std::regex_match(it.key(), kNsName))
				fail(p, "a namespace name is 1-16 of a-z, 0-9, _ (starting with a letter)");
			if (!named.count(it.key()))
				fail(p, "no link is in namespace " + it.key());
		}
	}
	for (const auto &name : named) {
		NamespaceSpec n;
		n.name = name;
		std::string p = "/namespaces/" + pointer_token(name);
		if (has(p) && !at(p).is_null()) {
			keys(p, {"ipv6", "routes", "sysctls"});
			if (has(p + "/ipv6"))
				n.ipv6 = flag(p + "/ipv6");
			if (has(p + "/routes"))
				for (const auto &r : texts(p + "/routes")) {
					std::vector<std::string> words;
					std::istringstream in(r);
					for (std::string w; in >> w;)
						words.push_back(w);
					// A default route is fine: its gateway must be ours, and every other address.
					for (const auto &w : words)
						if (auto a = parse_ip(w); a && a->prefix != 0 && !is_harness_address(*a))
							fail(p + "/routes", w + " is outside the harness's ranges");
					if (words.empty())
						fail(p + "/routes", "an empty route");
					n.routes.push_back(words);
				}
			if (has(p + "/sysctls")) {
				const json &s = at(p + "/sysctls");
				if (!s.is_object())
					fail(p + "/sysctls", "sysctls: a mapping of key to value");
				for (auto it = s.begin(); it != s.end(); ++it) {
					if (!it.value().is_primitive() || it.value().is_null())
						fail(p + "/sysctls/" + pointer_token(it.key()), "a sysctl value is a number or text");
					n.sysctls.push_back({it.key(), it.value().is_string() ? it.value().get<std::string>()
											    : it.value().dump()});
				}
			}
		}
		spec.namespaces.push_back(n);
	}
}

void CaseChecker::receivers()
{
	if (!has("/receivers")) { // every link, by its own name
		for (const auto &l : spec.links)
			spec.receivers[l.name] = l.name;
		return;
	}
	const json &rs = at("/receivers");
	if (!rs.is_object() || rs.empty())
		fail("/receivers", "receivers: a mapping of receiver name to the link it captures on");
	for (auto it = rs.begin(); it != rs.end(); ++it) {
		std::string p = "/receivers/" + pointer_token(it.key());
		std::string link = text(p);
		known_link(p, link);
		spec.receivers[it.key()] = link;
	}
}

} // namespace xdplab
