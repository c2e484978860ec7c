// A case body's traffic: the list of steps, each named once, and each kind's
// arguments (frames, ping, tcp, test_run, sysctl, read, mtu_limit; what they
// do is case_steps.h). Links, objects and maps are read by then, so every
// name a step gives is checked against them.
#include "case_checker.h"

#include "../../netns/address.h"

#include <sys/socket.h>

#include <set>

namespace xdplab {

const std::vector<std::string> &step_kinds()
{
	static const std::vector<std::string> kinds = {"frames", "ping", "tcp", "test_run", "sysctl", "read", "mtu_limit"};
	return kinds;
}

void CaseChecker::traffic()
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
		step_arguments(s, p);
		s.name = s.args.is_object() && s.args.contains("name") ? text(s.pointer + "/name")
									: s.kind + "_" + std::to_string(i);
		if (!names.insert(s.name).second)
			fail(s.pointer, "two steps are named " + s.name + ": give each its own name");
		spec.steps.push_back(s);
	}
}

// An unknown kind is reported at the step, the others at their arguments.
void CaseChecker::step_arguments(const StepSpec &s, const std::string &step_pointer)
{
	const std::string &a = s.pointer;
	if (s.kind == "frames") {
		frames_args(a);
	} else if (s.kind == "ping") {
		ping_args(a);
	} else if (s.kind == "tcp") {
		tcp_args(a);
	} else if (s.kind == "test_run") {
		test_run_args(a);
	} else if (s.kind == "sysctl") {
		sysctl_args(a, s.args);
	} else if (s.kind == "mtu_limit") {
		mtu_limit_args(a);
	} else if (s.kind == "read") {
		read_args(a);
	} else {
		fail(step_pointer, "unknown step \"" + s.kind + "\" (frames, ping, tcp, test_run, sysctl, read, mtu_limit)");
	}
}

// The tagged frames of a frames step, and the ones test_run feeds a program
// (which has no link to send from).
void CaseChecker::tagged_frame_args(const std::string &p, bool needs_from)
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
			else if (!is_mac(m))
				fail(p + "/" + k, "a MAC (02:00:00:00:00:01) or mac(link)");
		}
}

void CaseChecker::frames_args(const std::string &a)
{
	keys(a, {"from", "count", "proto", "size", "pad_per_seq", "src", "dst", "src_mac", "dst_mac", "name"});
	tagged_frame_args(a, true);
}

void CaseChecker::ping_args(const std::string &a)
{
	keys(a, {"from", "to", "count", "name"});
	if (!has(a + "/from") || !has(a + "/to"))
		fail(a, "ping needs from (a link) and to (an address)");
	known_link(a + "/from", text(a + "/from"));
	harness_address(a + "/to", text(a + "/to"), false);
	if (has(a + "/count"))
		integer(a + "/count", 1, 1000);
}

void CaseChecker::tcp_args(const std::string &a)
{
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
}

void CaseChecker::test_run_args(const std::string &a)
{
	keys(a, {"program", "count", "proto", "size", "pad_per_seq", "name"});
	if (!has(a + "/program"))
		fail(a, "test_run needs program (object/program)");
	program(a + "/program", text(a + "/program"));
	tagged_frame_args(a, false);
}

// Namespaces by their case names; the keys and values are the kernel's to judge.
void CaseChecker::sysctl_args(const std::string &a, const json &args)
{
	if (!args.is_object())
		fail(a, "sysctl: a mapping of namespace to {key: value}");
	for (auto it = args.begin(); it != args.end(); ++it) {
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
}

void CaseChecker::mtu_limit_args(const std::string &a)
{
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
}

void CaseChecker::read_args(const std::string &a)
{
	keys(a, {"map", "name"});
	if (!has(a + "/map"))
		fail(a, "read needs map (object/map)");
	map_ref(a + "/map", text(a + "/map"));
}

} // namespace xdplab
