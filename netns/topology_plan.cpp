// The plan of a Topology: what apply() creates, in its order, as lines of
// `ip`, sysctls and ethtool calls. apply() and commands() (--explain) both
// read it, so that what is printed is what is done.
#include "topology.h"

#include "command.h"

#include <initializer_list>

namespace xdplab {

namespace {

std::string sysctl_command(const std::string &ns, const std::string &key, const std::string &value)
{
	return shell_join({"ip", "netns", "exec", ns, "sysctl", "-qw", key + "=" + value});
}

} // namespace

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

} // namespace xdplab
