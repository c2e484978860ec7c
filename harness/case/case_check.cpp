#include "case_check.h"

#include "../../netns/address.h"
#include "../../netns/ifindex.h"
#include "jq_observations.h"

#include <sys/socket.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

const std::regex kLinkName("^[a-z][a-z0-9_]{0,5}$");
const std::regex kNsName("^[a-z][a-z0-9_]{0,15}$");
const std::regex kName("^[A-Za-z_][A-Za-z0-9_.-]*$");
const std::regex kMac(R"(^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$)");

// Reads one subtest's body; every failure names where in the file.
struct Checker {
	const LocatedDoc &d;
	const CaseContext &ctx;
	ObjectCatalog &objects;
	CaseSpec spec;
	std::map<std::string, ObjectShape> shapes; // object name -> what its file holds

	[[noreturn]] void fail(const std::string &at, const std::string &what) const { d.fail(at, what); }

	const json &at(const std::string &p) const { return d.doc.at(json::json_pointer(p)); }
	bool has(const std::string &p) const { return d.doc.contains(json::json_pointer(p)); }

	void keys(const std::string &p, std::initializer_list<const char *> allowed) const
	{
		const json &v = at(p);
		if (!v.is_object())
			fail(p, "expected a mapping");
		for (auto it = v.begin(); it != v.end(); ++it) {
			bool ok = false;
			std::string list;
			for (const char *a : allowed) {
				ok = ok || it.key() == a;
				list += std::string(list.empty() ? "" : ", ") + a;
			}
			if (!ok)
				d.fail_key(p + "/" + pointer_token(it.key()), "unknown key \"" + it.key() + "\" (allowed: " + list + ")");
		}
	}

	std::string text(const std::string &p) const
	{
		const json &v = at(p);
		if (!v.is_string())
			fail(p, "expected text, found " + v.dump());
		return v.get<std::string>();
	}

	bool flag(const std::string &p) const
	{
		const json &v = at(p);
		if (!v.is_boolean())
			fail(p, "expected true or false, found " + v.dump());
		return v.get<bool>();
	}

	long integer(const std::string &p, long lo, long hi) const
	{
		const json &v = at(p);
		if (!v.is_number_integer() || v.get<long>() < lo || v.get<long>() > hi)
			fail(p, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
					v.dump());
		return v.get<long>();
	}

	std::vector<std::string> texts(const std::string &p) const // a text or a list of texts
	{
		const json &v = at(p);
		std::vector<std::string> out;
		if (v.is_string())
			return {v.get<std::string>()};
		if (!v.is_array())
			fail(p, "expected text or a list of texts");
		for (size_t i = 0; i < v.size(); ++i)
			out.push_back(text(p + "/" + std::to_string(i)));
		return out;
	}

	void harness_address(const std::string &p, const std::string &addr, bool cidr) const
	{
		auto a = parse_ip(addr);
		if (!a || (cidr && a->prefix < 0))
			fail(p, "\"" + addr + "\" is not an IP address" + (cidr ? " with a prefix (198.18.1.1/24)" : ""));
		if (!is_harness_address(*a))
			fail(p, addr + " is outside the harness's ranges: traffic stays in 198.18.0.0/15 and fd00::/8");
	}

	// ---- sections ---------------------------------------------------------

	void namespaces()
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

	XdpSpec xdp(const std::string &p)
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

	void links()
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
				if (!std::regex_match(l.mac, kMac))
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

	std::string link_names() const
	{
		std::string out;
		for (const auto &l : spec.links)
			out += (out.empty() ? "" : ", ") + l.name;
		return out;
	}

	void known_link(const std::string &p, const std::string &name) const
	{
		if (!spec.link(name))
			fail(p, "no link \"" + name + "\" (links: " + link_names() + ")");
	}

	ProgramRef program(const std::string &p, const std::string &ref) const
	{
		auto slash = ref.find('/');
		if (slash == std::string::npos)
			fail(p, "a program is named object/program, e.g. chain/xdp_ingress");
		ProgramRef r{ref.substr(0, slash), ref.substr(slash + 1)};
		auto it = shapes.find(r.object);
		if (it == shapes.end())
			fail(p, "no object \"" + r.object + "\" in objects:");
		const auto &progs = it->second.programs;
		if (std::find(progs.begin(), progs.end(), r.program) == progs.end()) {
			std::string list;
			for (const auto &x : progs)
				list += (list.empty() ? "" : ", ") + x;
			fail(p, "object " + r.object + " (" + spec.object(r.object)->file_as_written + ") has no program \"" +
					r.program + "\" (it has: " + list + ")");
		}
		return r;
	}

	std::pair<std::string, std::string> map_ref(const std::string &p, const std::string &ref) const
	{
		auto slash = ref.find('/');
		if (slash == std::string::npos)
			fail(p, "a map is named object/map, e.g. chain/tx_array");
		std::string obj = ref.substr(0, slash), map = ref.substr(slash + 1);
		auto it = shapes.find(obj);
		if (it == shapes.end())
			fail(p, "no object \"" + obj + "\" in objects:");
		if (!it->second.maps.count(map))
			fail(p, "object " + obj + " has no map \"" + map + "\"");
		return {obj, map};
	}

	std::string resolve_file(const std::string &p, const std::string &file) const
	{
		fs::path beside = fs::path(ctx.dir) / file;
		if (fs::is_regular_file(beside))
			return fs::canonical(beside).string();
		if (fs::path(file).filename() == file && builtin_object_bytes(file))
			return "builtin:" + file;
		fail(p, "no such object file: " + beside.string() +
				(fs::path(file).filename() == file ? " (nor one of the harness's own)" : ""));
	}

	void object_section()
	{
		if (!has("/objects"))
			return;
		const json &os = at("/objects");
		if (!os.is_object())
			fail("/objects", "objects: a mapping of object name to {file, globals, maps, programs}");
		for (auto it = os.begin(); it != os.end(); ++it) {
			std::string p = "/objects/" + pointer_token(it.key());
			if (!std::regex_match(it.key(), kName) || it.key().find('/') != std::string::npos)
				fail(p, "an object name is letters, digits and _");
			keys(p, {"file", "globals", "maps", "programs", "may_fail"});
			ObjectSpec o;
			o.name = it.key();
			if (!has(p + "/file"))
				fail(p, "missing \"file\": the BPF ELF object (a path beside the case file)");
			o.file_as_written = text(p + "/file");
			o.file = resolve_file(p + "/file", o.file_as_written);
			try {
				shapes[o.name] = objects.shape(o.file);
			} catch (const std::exception &e) {
				fail(p + "/file", "cannot read " + o.file_as_written + " as a BPF object: " + e.what());
			}
			const ObjectShape &shape = shapes[o.name];
			if (has(p + "/globals")) {
				o.globals = at(p + "/globals");
				if (!o.globals.is_object())
					fail(p + "/globals", "globals: a mapping of global variable name to value");
				for (auto g = o.globals.begin(); g != o.globals.end(); ++g)
					if (!shape.variables.count(g.key()))
						fail(p + "/globals/" + pointer_token(g.key()),
						     "object " + o.name + " has no global variable \"" + g.key() + "\"" +
							     (shape.variables.empty() ? " (is it built with -g, so that it has BTF?)" : ""));
			}
			if (has(p + "/maps")) {
				const json &ms = at(p + "/maps");
				if (!ms.is_object())
					fail(p + "/maps", "maps: a mapping of map name to {value_size, max_entries}");
				for (auto m = ms.begin(); m != ms.end(); ++m) {
					std::string mp = p + "/maps/" + pointer_token(m.key());
					if (!shape.maps.count(m.key()))
						fail(mp, "object " + o.name + " has no map \"" + m.key() + "\"");
					keys(mp, {"value_size", "max_entries"});
					MapShape s;
					if (has(mp + "/value_size"))
						s.value_size = static_cast<uint32_t>(integer(mp + "/value_size", 1, 1 << 20));
					if (has(mp + "/max_entries"))
						s.max_entries = static_cast<uint32_t>(integer(mp + "/max_entries", 1, 1 << 24));
					o.maps[m.key()] = s;
				}
			}
			if (has(p + "/programs"))
				for (size_t i = 0; const auto &name : texts(p + "/programs")) {
					if (std::find(shape.programs.begin(), shape.programs.end(), name) == shape.programs.end())
						fail(p + "/programs" + (at(p + "/programs").is_array() ? "/" + std::to_string(i) : ""),
						     "object " + o.name + " has no program \"" + name + "\"");
					o.programs.push_back(name);
					++i;
				}
			if (has(p + "/may_fail"))
				o.may_fail = flag(p + "/may_fail");
			spec.objects.push_back(o);
		}
	}

	// Symbols inside a value must name what the case has.
	void symbols(const std::string &p, const json &v) const
	{
		for_each_symbol(v, [&](const Symbol &s) {
			if (s.fn == "ifindex" || s.fn == "mac")
				known_link(p, s.arg);
			else if (s.fn == "prog" || s.fn == "prog_id")
				program(p, s.arg);
			else if (s.fn == "ipv4" || s.fn == "ipv6")
				harness_address(p, s.arg, false);
		});
	}

	void entries()
	{
		if (!has("/entries"))
			return;
		const json &es = at("/entries");
		if (!es.is_object())
			fail("/entries", "entries: a mapping of object/map to a list of {key, value}");
		for (auto it = es.begin(); it != es.end(); ++it) {
			std::string p = "/entries/" + pointer_token(it.key());
			auto [obj, map] = map_ref(p, it.key());
			if (!it.value().is_array())
				fail(p, "a map's entries are a list of {key, value}");
			for (size_t i = 0; i < it.value().size(); ++i) {
				std::string ep = p + "/" + std::to_string(i);
				keys(ep, {"key", "value", "may_fail"});
				if (!has(ep + "/key") || !has(ep + "/value"))
					fail(ep, "an entry needs key and value");
				MapEntrySpec e{obj, map, at(ep + "/key"), at(ep + "/value"), false, ep};
				if (has(ep + "/may_fail"))
					e.may_fail = flag(ep + "/may_fail");
				symbols(ep + "/key", e.key);
				symbols(ep + "/value", e.value);
				spec.entries.push_back(e);
			}
		}
		for (const auto &o : spec.objects)
			symbols("/objects/" + pointer_token(o.name) + "/globals", o.globals);
	}

	void receivers()
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

	void frame_args(const std::string &p, bool needs_from)
	{
		if (needs_from) {
			if (!has(p + "/from"))
				fail(p, "missing \"from\": the link the frames are sent from");
			known_link(p + "/from", text(p + "/from"));
		}
		if (has(p + "/count")) {
			const json &c = at(p + "/count");
			if (!(c == "$packets") && !(c.is_number_integer() && c.get<long>() >= 1 && c.get<long>() <= 100000))
				fail(p + "/count", "count is a number (1-100000) or $packets (--packets, default 32)");
		}
		if (has(p + "/proto")) {
			std::string proto = text(p + "/proto");
			if (proto != "udp" && proto != "icmp")
				fail(p + "/proto", "proto is udp or icmp (the tag travels in the payload either way)");
		}
		if (has(p + "/size"))
			integer(p + "/size", 62, 65535);
		if (has(p + "/pad_per_seq"))
			integer(p + "/pad_per_seq", 0, 4096);
		for (const char *k : {"src", "dst"})
			if (has(p + "/" + k)) {
				harness_address(p + "/" + k, text(p + "/" + k), false);
				if (parse_ip(text(p + "/" + k))->family != AF_INET)
					fail(p + "/" + k, "tagged frames are IPv4");
			}
		for (const char *k : {"src_mac", "dst_mac"})
			if (has(p + "/" + k)) {
				std::string m = text(p + "/" + k);
				auto s = parse_symbol(json(m));
				if (s && s->fn == "mac")
					known_link(p + "/" + k, s->arg);
				else if (!std::regex_match(m, kMac))
					fail(p + "/" + k, "a MAC (02:00:00:00:00:01) or mac(link)");
			}
	}

	void traffic()
	{
		if (!has("/traffic"))
			return;
		const json &ts = at("/traffic");
		if (!ts.is_array())
			fail("/traffic", "traffic: a list of steps (frames, ping, tcp, test_run, sysctl, read, mtu_limit)");
		std::set<std::string> names;
		for (size_t i = 0; i < ts.size(); ++i) {
			std::string p = "/traffic/" + std::to_string(i);
			if (!ts[i].is_object() || ts[i].size() != 1)
				fail(p, "a step is one of: frames, ping, tcp, test_run, sysctl, read, mtu_limit (with its arguments)");
			StepSpec s;
			s.kind = ts[i].begin().key();
			s.args = ts[i].begin().value();
			s.pointer = p + "/" + pointer_token(s.kind);
			std::string a = s.pointer;
			if (s.kind == "frames") {
				keys(a, {"from", "count", "proto", "size", "pad_per_seq", "src", "dst", "src_mac", "dst_mac", "name"});
				frame_args(a, true);
			} else if (s.kind == "ping") {
				keys(a, {"from", "to", "count", "name"});
				if (!has(a + "/from") || !has(a + "/to"))
					fail(a, "ping needs from (a link) and to (an address)");
				known_link(a + "/from", text(a + "/from"));
				harness_address(a + "/to", text(a + "/to"), false);
				if (has(a + "/count"))
					integer(a + "/count", 1, 1000);
			} else if (s.kind == "tcp") {
				keys(a, {"from", "to", "bytes", "name"});
				if (!has(a + "/from") || !has(a + "/to"))
					fail(a, "tcp needs from (a link) and to (an address of another link)");
				known_link(a + "/from", text(a + "/from"));
				harness_address(a + "/to", text(a + "/to"), false);
				bool found = false;
				for (const auto &l : spec.links)
					for (const auto &addr : l.addresses)
						found = found || addr.substr(0, addr.find('/')) == text(a + "/to");
				if (!found)
					fail(a + "/to", "no link has address " + text(a + "/to") + ": the server listens there");
				if (has(a + "/bytes"))
					integer(a + "/bytes", 1, 1 << 30);
			} else if (s.kind == "test_run") {
				keys(a, {"program", "count", "proto", "size", "pad_per_seq", "name"});
				if (!has(a + "/program"))
					fail(a, "test_run needs program (object/program)");
				program(a + "/program", text(a + "/program"));
				frame_args(a, false);
			} else if (s.kind == "sysctl") {
				if (!s.args.is_object())
					fail(a, "sysctl: a mapping of namespace to {key: value}");
				for (auto it = s.args.begin(); it != s.args.end(); ++it) {
					if (it.key() == "name")
						continue;
					bool known = false;
					for (const auto &l : spec.links)
						known = known || l.ns == it.key();
					if (!known)
						fail(a + "/" + pointer_token(it.key()), "no namespace \"" + it.key() + "\"");
					if (!it.value().is_object())
						fail(a + "/" + pointer_token(it.key()), "a mapping of sysctl key to value");
				}
			} else if (s.kind == "mtu_limit") {
				keys(a, {"program", "link", "vary", "mode", "from", "to", "name"});
				if (!has(a + "/program") || !has(a + "/link"))
					fail(a, "mtu_limit needs program (object/program) and link (where it attaches)");
				program(a + "/program", text(a + "/program"));
				known_link(a + "/link", text(a + "/link"));
				for (const auto &l : spec.links)
					if (l.name == text(a + "/link") && l.xdp)
						fail(a + "/link", "mtu_limit attaches to " + l.name +
									  " itself: the link must have no xdp of its own");
				if (has(a + "/vary"))
					known_link(a + "/vary", text(a + "/vary"));
				if (has(a + "/mode") && text(a + "/mode") != "native" && text(a + "/mode") != "generic")
					fail(a + "/mode", "mode: native or generic");
				int from = has(a + "/from") ? integer(a + "/from", 68, 65535) : 68;
				int to = has(a + "/to") ? integer(a + "/to", 68, 65535) : 65535;
				if (from >= to)
					fail(a + "/to", "to must be above from");
			} else if (s.kind == "read") {
				keys(a, {"map", "name"});
				if (!has(a + "/map"))
					fail(a, "read needs map (object/map)");
				map_ref(a + "/map", text(a + "/map"));
			} else {
				fail(p, "unknown step \"" + s.kind + "\" (frames, ping, tcp, test_run, sysctl, read, mtu_limit)");
			}
			s.name = s.args.is_object() && s.args.contains("name") ? text(a + "/name")
										: s.kind + "_" + std::to_string(i);
			if (!names.insert(s.name).second)
				fail(a, "two steps are named " + s.name + ": give each its own name");
			spec.steps.push_back(s);
		}
	}

	void observations()
	{
		std::string definitions;
		if (has("/definitions")) {
			// A text, or a mapping of texts (so that a case adds to what a file it includes defines).
			if (at("/definitions").is_object())
				for (const auto &k : d.keys_in_order("/definitions"))
					definitions += text("/definitions/" + pointer_token(k)) + "\n";
			else
				definitions = text("/definitions");
		}
		if (!has("/observe") || !at("/observe").is_object() || at("/observe").empty())
			fail("/observe", "observe: a mapping of observation name to a jq expression over the evidence");
		const json &os = at("/observe");
		for (auto it = os.begin(); it != os.end(); ++it) {
			std::string p = "/observe/" + pointer_token(it.key());
			if (!std::regex_match(it.key(), std::regex("^[a-z][a-z0-9_]*$")))
				fail(p, "an observation name is lower case letters, digits and _");
			spec.observe[it.key()] = text(p);
		}
		spec.definitions = definitions;
	}

	void rest()
	{
		if (has("/read"))
			for (size_t i = 0; const auto &m : texts("/read")) {
				map_ref("/read" + (at("/read").is_array() ? "/" + std::to_string(i) : ""), m);
				spec.read_maps.push_back(m);
				++i;
			}
		if (has("/wait_for_copies"))
			spec.wait_for_copies = flag("/wait_for_copies");
		if (has("/kernel_log"))
			spec.kernel_log = flag("/kernel_log");
		if (has("/counters"))
			spec.counters = flag("/counters");
	}
};

} // namespace

const ObjectShape &ObjectCatalog::shape(const std::string &file)
{
	auto it = shapes_.find(file);
	if (it == shapes_.end())
		it = shapes_.emplace(file, inspect_object(file)).first;
	return it->second;
}

const std::vector<std::string> &step_kinds()
{
	static const std::vector<std::string> kinds = {"frames", "ping", "tcp", "test_run", "sysctl", "read", "mtu_limit"};
	return kinds;
}

CaseSpec check_case(const LocatedDoc &body, const CaseContext &ctx, const std::string &subtest,
		    ObjectCatalog &objects)
{
	Checker c{body, ctx, objects, {}, {}};
	c.spec.id = ctx.id;
	c.spec.subtest = subtest;
	c.spec.file = ctx.path;
	c.spec.dir = ctx.dir;
	c.object_section();
	c.links();
	c.namespaces();
	c.entries();
	c.receivers();
	c.traffic();
	c.observations();
	c.rest();
	return c.spec;
}

std::vector<Requirement> check_requirements(const LocatedDoc &doc, const std::string &pointer)
{
	json wrapped = {{"id", "x"}, {"title", "x"}, {"claim", "x"}, {"subtests", {{"x", {{"expect", json::array()}}}}}};
	wrapped["requires"] = doc.doc.at(json::json_pointer(pointer));
	try {
		return parse_expectations_doc(wrapped, doc.path, [&](const std::string &p) {
			       return doc.locate(pointer + p.substr(std::string("/requires").size()));
		       }).requires_;
	} catch (const ExpectationError &e) {
		throw CaseError(e.what());
	}
}

} // namespace xdplab
