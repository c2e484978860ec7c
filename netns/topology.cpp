#include "topology.h"

#include "command.h"
#include "naming.h"
#include "netns_scope.h"
#include "rtnetlink.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <initializer_list>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace xdplab {

namespace {

// Every declared value ends up as a word of an `ip -batch` line, which iproute2
// splits at blanks and where quotes and '#' mean something: such characters
// would change the command, not just the value.
void check_word(const char *what, const std::string &s)
{
	if (s.empty() || s.find_first_of(" \t\r\n\"'\\#") != std::string::npos)
		throw std::invalid_argument(std::string("topology: bad ") + what + " '" + s + "'");
}

void check_mac(const std::string &mac)
{
	bool ok = mac.size() == 17;
	for (size_t i = 0; ok && i < mac.size(); ++i)
		ok = i % 3 == 2 ? mac[i] == ':' : isxdigit(static_cast<unsigned char>(mac[i])) != 0;
	if (!ok)
		throw std::invalid_argument("topology: bad MAC address '" + mac + "'");
}

// A key becomes a path under /proc/sys: nothing that could leave it.
void check_sysctl_key(const std::string &key)
{
	bool ok = !key.empty() && key.front() != '.' && key.back() != '.' && key.find("..") == std::string::npos &&
		  key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
			  std::string::npos;
	if (!ok)
		throw std::invalid_argument("topology: bad sysctl key '" + key + "'");
}

std::string batch_text(const std::vector<std::vector<std::string>> &lines)
{
	std::string text;
	for (const auto &line : lines) {
		for (size_t i = 0; i < line.size(); ++i)
			text += (i ? " " : "") + line[i];
		text += '\n';
	}
	return text;
}

// With -force, iproute2 runs every line and follows each failure's own
// message with "Command failed -:N". Pair them back up, so a problem names the
// command that failed and not just a line number.
std::vector<std::string> batch_problems(const std::string &prefix, const std::vector<std::vector<std::string>> &lines,
					const std::string &output)
{
	std::vector<std::string> problems;
	std::string pending;
	size_t pos = 0;
	while (pos <= output.size()) {
		size_t end = output.find('\n', pos);
		if (end == std::string::npos)
			end = output.size();
		std::string l = output.substr(pos, end - pos);
		pos = end + 1;
		unsigned n = 0;
		char tail = 0;
		if (sscanf(l.c_str(), "Command failed -:%u%c", &n, &tail) == 1 && n >= 1 && n <= lines.size()) {
			problems.push_back(prefix + shell_join(lines[n - 1]) + ": " +
					   (pending.empty() ? "failed" : pending));
			pending.clear();
		} else if (!l.empty()) {
			pending += (pending.empty() ? "" : "; ") + l;
		}
	}
	if (!pending.empty())
		problems.push_back(prefix + "-force -batch -: " + pending);
	return problems;
}

std::string join_lines(const std::vector<std::string> &v)
{
	std::string s;
	for (const auto &x : v)
		s += (s.empty() ? "" : "\n  ") + x;
	return s;
}

// One `ip [-n NS] -force -batch -`; a failure throws with what iproute2 said
// about each failing line. -force: every line is tried, so every problem is
// reported at once, not only the first.
void run_batch(const std::string &ns, const std::vector<std::vector<std::string>> &lines)
{
	if (lines.empty())
		return;
	std::vector<std::string> argv{"ip"};
	if (!ns.empty())
		argv.insert(argv.end(), {"-n", ns});
	argv.insert(argv.end(), {"-force", "-batch", "-"});
	CommandResult r = run_command(argv, batch_text(lines));
	if (r.exit_code == 0)
		return;
	std::vector<std::string> prefix{"ip"};
	if (!ns.empty())
		prefix.insert(prefix.end(), {"-n", ns});
	auto problems = batch_problems(shell_join(prefix) + " ", lines, r.output);
	if (!problems.empty())
		r.output = join_lines(problems);
	throw CommandError(shell_join(argv), r);
}

// The kernel's refusal of one line, named as the line reads.
[[noreturn]] void refused(const std::string &ns, const std::vector<std::string> &line, const std::exception &e)
{
	std::vector<std::string> argv{"ip"};
	if (!ns.empty())
		argv.insert(argv.end(), {"-n", ns});
	argv.insert(argv.end(), line.begin(), line.end());
	const auto *r = dynamic_cast<const rtnl::Error *>(&e);
	throw std::runtime_error(shell_join(argv) + ": " +
				 (r ? std::string(strerror(r->err)) + (r->extack.empty() ? "" : " (" + r->extack + ")")
				    : std::string(e.what())));
}

std::string sysctl_command(const std::string &ns, const std::string &key, const std::string &value)
{
	return shell_join({"ip", "netns", "exec", ns, "sysctl", "-qw", key + "=" + value});
}

bool netns_exists(const std::string &ns)
{
	return access(netns_path(ns).c_str(), F_OK) == 0;
}

} // namespace

Topology::Topology(std::string run_id, std::string scope, bool dry_run)
	: run_id_(std::move(run_id)), scope_(std::move(scope)), dry_run_(dry_run)
{
}

Topology::~Topology()
{
	for (const auto &p : teardown())
		std::cerr << "xdplab: teardown: " << p << "\n";
}

void Topology::check_declarable() const
{
	if (applied_)
		throw std::logic_error("topology: declarations come before apply()");
}

const Topology::Namespace &Topology::find_namespace(const std::string &ns) const
{
	for (const auto &n : namespaces_)
		if (n.name == ns)
			return n;
	throw std::invalid_argument("topology: namespace " + ns + " was not declared");
}

const Topology::Link &Topology::find_link(const std::string &ns, const std::string &link) const
{
	for (const auto &[a, b] : veths_) {
		if (a.ns == ns && a.name == link)
			return a;
		if (b.ns == ns && b.name == link)
			return b;
	}
	throw std::out_of_range("topology: no link " + link + " declared in " + ns);
}

Topology::Link &Topology::find_link(const std::string &ns, const std::string &link)
{
	return const_cast<Link &>(static_cast<const Topology *>(this)->find_link(ns, link));
}

std::string Topology::add_namespace(const std::string &role, NamespaceOptions opts)
{
	check_declarable();
	std::string ns = netns_name(run_id_, scope_ + role);
	check_word("namespace name", ns);
	for (const auto &n : namespaces_)
		if (n.name == ns)
			throw std::invalid_argument("topology: namespace " + ns + " declared twice");
	namespaces_.push_back({ns, opts});
	// Before any link exists in the namespace: a link made with IPv6 on would
	// already have sent its router and multicast listener solicitations.
	if (opts.ipv6) {
		for (const char *scope : {"default", "all"}) {
			std::string conf = std::string("net.ipv6.conf.") + scope + ".";
			sysctls_.push_back({ns, conf + "accept_dad", "0", false});
			sysctls_.push_back({ns, conf + "dad_transmits", "0", false});
		}
		// Stated rather than assumed: a new namespace may inherit the host's
		// settings (net.core.devconf_inherit_init_net).
		sysctls_.push_back({ns, "net.ipv6.conf.default.disable_ipv6", "0", false});
		sysctls_.push_back({ns, "net.ipv6.conf.all.disable_ipv6", "0", false});
	} else {
		sysctls_.push_back({ns, "net.ipv6.conf.default.disable_ipv6", "1", true});
		sysctls_.push_back({ns, "net.ipv6.conf.all.disable_ipv6", "1", true});
	}
	return ns;
}

std::pair<std::string, std::string> Topology::add_veth(const VethEnd &a, const VethEnd &b)
{
	check_declarable();
	Link la{a.ns, link_name(run_id_, a.role), a.mac, a.ifindex, a.mtu};
	Link lb{b.ns, link_name(run_id_, b.role), b.mac, b.ifindex, b.mtu};
	for (const Link *l : {&la, &lb}) {
		find_namespace(l->ns);
		check_word("link name", l->name);
		check_mac(l->mac);
		if (l->ifindex <= 0)
			throw std::invalid_argument("topology: link " + l->name + " needs an explicit ifindex");
		if (l->mtu < 0)
			throw std::invalid_argument("topology: bad MTU for " + l->name);
		for (const auto &[x, y] : veths_)
			for (const Link *o : {&x, &y}) {
				if (o->ns == l->ns && o->name == l->name)
					throw std::invalid_argument("topology: link " + l->name + " declared twice in " +
								    l->ns);
				// Unique in the whole topology, not just per namespace: the
				// index is what ties a trace line to one link.
				if (o->ifindex == l->ifindex)
					throw std::invalid_argument("topology: ifindex " + std::to_string(l->ifindex) +
								    " used twice");
			}
	}
	if (la.ifindex == lb.ifindex || (la.ns == lb.ns && la.name == lb.name))
		throw std::invalid_argument("topology: the two ends of " + la.name + " must differ");
	veths_.emplace_back(la, lb);
	return {la.name, lb.name};
}

void Topology::add_address(const std::string &ns, const std::string &link, const std::string &cidr)
{
	check_declarable();
	find_link(ns, link);
	check_word("address", cidr);
	steps_[ns].push_back({"address", "add", cidr, "dev", link});
}

void Topology::add_neighbour(const std::string &ns, const std::string &link, const std::string &ip,
			     const std::string &mac)
{
	check_declarable();
	find_link(ns, link);
	check_word("neighbour address", ip);
	check_mac(mac);
	steps_[ns].push_back({"neigh", "replace", ip, "lladdr", mac, "dev", link, "nud", "permanent"});
}

void Topology::add_route(const std::string &ns, const std::vector<std::string> &spec)
{
	check_declarable();
	find_namespace(ns);
	if (spec.empty())
		throw std::invalid_argument("empty route");
	Line line{"route", "replace"};
	for (const auto &w : spec) {
		check_word("route word", w);
		line.push_back(w);
	}
	steps_[ns].push_back(line);
}

void Topology::set_offload(const std::string &ns, const std::string &link, const std::string &feature, bool on)
{
	check_declarable();
	find_link(ns, link);
	check_word("offload feature", feature);
	auto it = std::find_if(offloads_.begin(), offloads_.end(),
			       [&](const Offload &o) { return o.ns == ns && o.link == link; });
	if (it == offloads_.end())
		it = offloads_.insert(offloads_.end(), Offload{ns, link, {}});
	for (auto &f : it->features)
		if (f.first == feature) {
			f.second = on;
			return;
		}
	it->features.emplace_back(feature, on);
}

void Topology::set_mtu(const std::string &ns, const std::string &link, int mtu)
{
	check_declarable();
	if (mtu <= 0)
		throw std::invalid_argument("topology: bad MTU " + std::to_string(mtu));
	find_link(ns, link).mtu = mtu;
}

void Topology::sysctl(const std::string &ns, const std::string &key, const std::string &value)
{
	check_declarable();
	find_namespace(ns);
	check_sysctl_key(key);
	if (value.find('\n') != std::string::npos)
		throw std::invalid_argument("topology: sysctl value with a newline for " + key);
	sysctls_.push_back({ns, key, value, false});
}

int Topology::ifindex(const std::string &ns, const std::string &link) const
{
	return find_link(ns, link).ifindex;
}

std::vector<Topology::Line> Topology::netns_lines() const
{
	std::vector<Line> lines;
	for (const auto &n : namespaces_)
		lines.push_back({"netns", "add", n.name});
	return lines;
}

std::vector<Topology::Sysctl> Topology::sysctls(bool after_links) const
{
	// A key that names one of the namespace's links (net.ipv4.conf.<link>.*)
	// needs the link; every other key is set before the links exist, so that
	// "default" values reach them.
	auto names_link = [&](const Sysctl &s) {
		size_t pos = 0;
		while (pos <= s.key.size()) {
			size_t end = s.key.find('.', pos);
			if (end == std::string::npos)
				end = s.key.size();
			std::string part = s.key.substr(pos, end - pos);
			for (const auto &[a, b] : veths_)
				if ((a.ns == s.ns && a.name == part) || (b.ns == s.ns && b.name == part))
					return true;
			pos = end + 1;
		}
		return false;
	};
	std::vector<Sysctl> out;
	for (const auto &s : sysctls_)
		if (names_link(s) == after_links)
			out.push_back(s);
	return out;
}

std::vector<Topology::Line> Topology::link_lines() const
{
	// No "up" here: the peer of a new veth cannot be brought up in the same
	// request (6.18 answers ENOTCONN, the peer is configured before the pair
	// is joined), so both ends go up in their namespace's batch. The peer's
	// "index" is honoured because the first end has one too.
	auto end = [](Line &line, const Link &l) {
		line.insert(line.end(), {l.name, "netns", l.ns, "index", std::to_string(l.ifindex), "address", l.mac});
		if (l.mtu)
			line.insert(line.end(), {"mtu", std::to_string(l.mtu)});
	};
	std::vector<Line> lines;
	for (const auto &[a, b] : veths_) {
		Line line{"link", "add"};
		end(line, a);
		line.insert(line.end(), {"type", "veth", "peer", "name"});
		end(line, b);
		lines.push_back(line);
	}
	return lines;
}

std::vector<Topology::Line> Topology::namespace_lines(const std::string &ns) const
{
	std::vector<Line> lines{{"link", "set", "dev", "lo", "up"}};
	// Every link up before anything is configured on it: addresses and
	// permanent neighbours then land on a running link, as they did when each
	// step was its own command.
	for (const auto &[a, b] : veths_)
		for (const Link *l : {&a, &b})
			if (l->ns == ns)
				lines.push_back({"link", "set", "dev", l->name, "up"});
	auto it = steps_.find(ns);
	if (it != steps_.end())
		lines.insert(lines.end(), it->second.begin(), it->second.end());
	return lines;
}

std::vector<std::vector<std::string>> Topology::ethtool_argvs() const
{
	std::vector<std::vector<std::string>> out;
	for (const auto &o : offloads_) {
		std::vector<std::string> argv{"ip", "netns", "exec", o.ns, "ethtool", "-K", o.link};
		for (const auto &[feature, on] : o.features)
			argv.insert(argv.end(), {feature, on ? "on" : "off"});
		out.push_back(argv);
	}
	return out;
}

std::vector<std::string> Topology::commands() const
{
	std::vector<std::string> cmds;
	auto ip_lines = [&](const std::vector<std::string> &prefix, const std::vector<Line> &lines) {
		for (const auto &line : lines) {
			std::vector<std::string> argv = prefix;
			argv.insert(argv.end(), line.begin(), line.end());
			cmds.push_back(shell_join(argv));
		}
	};
	auto sysctl_lines = [&](bool after_links) {
		for (const auto &s : sysctls(after_links))
			cmds.push_back(sysctl_command(s.ns, s.key, s.value));
	};
	ip_lines({"ip"}, netns_lines());
	sysctl_lines(false);
	ip_lines({"ip"}, link_lines());
	sysctl_lines(true);
	for (const auto &n : namespaces_)
		ip_lines({"ip", "-n", n.name}, namespace_lines(n.name));
	for (const auto &argv : ethtool_argvs())
		cmds.push_back(shell_join(argv));
	return cmds;
}

void Topology::write_sysctl(const Sysctl &s) const
{
	// A kernel without IPv6 has no IPv6 chatter to silence.
	if (s.ipv6_off && !sysctl_exists_in(s.ns, "net.ipv6"))
		return;
	write_sysctl_in(s.ns, s.key, s.value);
}

int Topology::ifindex_named(const std::string &ns, const std::string &link) const
{
	for (const auto &[a, b] : veths_)
		for (const Link *l : {&a, &b})
			if (l->ns == ns && l->name == link)
				return l->ifindex;
	return ifindex_in(ns, link); // lo, or a link the kernel made
}

bool Topology::execute(const std::string &ns, const Line &l) const
{
	// The shapes this file writes (namespace_lines, add_*): word positions are ours.
	auto is = [&](std::initializer_list<const char *> head, size_t size) {
		if (l.size() != size || size < head.size())
			return false;
		size_t i = 0;
		for (const char *w : head)
			if (l[i++] != w)
				return false;
		return true;
	};
	try {
		if (is({"link", "set", "dev"}, 5) && l[4] == "up") {
			rtnl::set_up(ns, l[3]);
		} else if (is({"address", "add"}, 5) && l[3] == "dev") {
			rtnl::add_address(ns, ifindex_named(ns, l[4]), l[2]);
		} else if (is({"neigh", "replace"}, 9) && l[3] == "lladdr" && l[5] == "dev") {
			rtnl::replace_neighbour(ns, ifindex_named(ns, l[6]), l[2], l[4]);
		} else if (is({"route", "replace"}, l.size())) {
			auto r = rtnl::parse_route(std::vector<std::string>(l.begin() + 2, l.end()));
			if (!r)
				return false;
			rtnl::replace_route(ns, *r, r->dev.empty() ? 0 : ifindex_named(ns, r->dev));
		} else {
			return false;
		}
	} catch (const std::exception &e) {
		refused(ns, l, e);
	}
	return true;
}

void Topology::apply()
{
	if (applied_)
		throw std::logic_error("topology: apply() called twice");
	applied_ = true;
	if (dry_run_)
		return;
	// A namespace of that name that already exists is not ours: refuse before
	// creating anything, so teardown never deletes it.
	for (const auto &n : namespaces_)
		if (netns_exists(n.name))
			throw std::runtime_error("topology: namespace " + n.name + " already exists");
	// In-process over rtnetlink (rtnetlink.h): the same requests as the
	// lines commands() prints, without a process per namespace.
	for (const auto &n : namespaces_) {
		try {
			rtnl::add_netns(n.name);
		} catch (const std::exception &e) {
			refused("", netns_lines()[created_.size()], e);
		}
		created_.push_back(n.name);
	}
	for (const auto &s : sysctls(false))
		write_sysctl(s);
	for (size_t i = 0; i < veths_.size(); ++i) {
		const auto &[a, b] = veths_[i];
		try {
			rtnl::add_veth({a.ns, a.name, a.mac, a.ifindex, a.mtu}, {b.ns, b.name, b.mac, b.ifindex, b.mtu});
		} catch (const std::exception &e) {
			refused("", link_lines()[i], e);
		}
	}
	for (const auto &s : sysctls(true))
		write_sysctl(s);
	// A line beyond the shapes execute() knows (a route with more words
	// than prefix, via and dev) goes to iproute2 itself, in its turn.
	for (const auto &n : namespaces_)
		for (const auto &line : namespace_lines(n.name))
			if (!execute(n.name, line))
				run_batch(n.name, {line});
	for (const auto &argv : ethtool_argvs()) {
		// The same ethtool, its child entering the namespace itself: one
		// process, not `ip` and then ethtool.
		std::vector<std::string> tool(argv.begin() + 4, argv.end());
		CommandResult r = run_command_in(argv[3], tool);
		if (r.exit_code != 0)
			throw CommandError(shell_join(argv), r);
	}
}

std::vector<std::string> Topology::teardown_commands() const
{
	std::vector<std::string> cmds;
	std::vector<std::string> names;
	if (applied_ && !dry_run_)
		names = created_;
	else
		for (const auto &n : namespaces_)
			names.push_back(n.name);
	// The veths go with their namespaces.
	for (auto it = names.rbegin(); it != names.rend(); ++it)
		cmds.push_back(shell_join({"ip", "netns", "del", *it}));
	return cmds;
}

std::vector<std::string> Topology::teardown() noexcept
{
	std::vector<std::string> problems;
	if (torn_down_ || kept_ || dry_run_)
		return problems;
	torn_down_ = true;
	// XDP programs are detached by their owners (XdpAttachment), which are
	// destroyed before the topology.
	for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
		try {
			rtnl::delete_netns(*it);
			if (netns_exists(*it))
				problems.push_back("namespace " + *it + " is still there after ip netns del");
		} catch (const std::exception &e) {
			problems.push_back(e.what());
		} catch (...) {
			problems.push_back("unknown error while deleting namespace " + *it);
		}
	}
	return problems;
}

} // namespace xdplab
