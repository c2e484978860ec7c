#include "command.h"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <cstdlib>
#include <unistd.h>
#include <istream>

namespace bp = boost::process;

namespace xdplab {

CommandError::CommandError(const std::string &cmdline, const CommandResult &r)
	: std::runtime_error("command failed (exit " + std::to_string(r.exit_code) + "): " + cmdline +
			     (r.output.empty() ? "" : "\n  " + r.output)),
	  result(r)
{
}

std::string shell_join(const std::vector<std::string> &argv)
{
	std::string out;
	for (const auto &a : argv) {
		if (!out.empty())
			out += ' ';
		bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
							      "0123456789-_./:=,+@%") == std::string::npos;
		if (plain) {
			out += a;
			continue;
		}
		out += '\'';
		for (char c : a)
			out += c == '\'' ? std::string("'\\''") : std::string(1, c);
		out += '\'';
	}
	return out;
}

std::string find_tool(const std::string &name)
{
	if (name.find('/') != std::string::npos)
		return name;
	// Root's PATH on a fresh Debian may lack /usr/sbin; look there too.
	std::vector<boost::filesystem::path> dirs = ::boost::this_process::path();
	for (const char *d : {"/usr/sbin", "/sbin", "/usr/local/sbin"})
		dirs.emplace_back(d);
	auto p = bp::search_path(name, dirs);
	return p.empty() ? std::string() : p.string();
}

std::string bpftool_path()
{
	if (const char *env = std::getenv("XDPLAB_BPFTOOL"); env && *env)
		return access(env, X_OK) == 0 ? std::string(env) : std::string();
	return find_tool("bpftool");
}

CommandResult run_command(const std::vector<std::string> &argv)
{
	if (argv.empty())
		throw std::invalid_argument("run_command: empty argv");
	std::string exe = find_tool(argv[0]);
	if (exe.empty())
		throw std::runtime_error("required tool not found: " + argv[0]);

	bp::ipstream out;
	std::vector<std::string> args(argv.begin() + 1, argv.end());
	// A process group of its own: a terminal's Ctrl-C reaches the harness,
	// which tears down in order, and not the `ip netns del` doing the teardown.
	auto own_group = bp::extend::on_exec_setup = [](auto &) { setpgid(0, 0); };
	bp::child child(exe, bp::args(args), (bp::std_out & bp::std_err) > out, bp::std_in < bp::null, own_group);
	CommandResult r;
	std::string line;
	while (std::getline(out, line)) {
		if (!r.output.empty())
			r.output += '\n';
		r.output += line;
	}
	child.wait();
	r.exit_code = child.exit_code();
	return r;
}

CommandResult run_checked(const std::vector<std::string> &argv)
{
	CommandResult r = run_command(argv);
	if (r.exit_code != 0)
		throw CommandError(shell_join(argv), r);
	return r;
}

} // namespace xdplab
