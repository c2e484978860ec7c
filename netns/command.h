// Running external tools (ip, ethtool, bpftool) with Boost.Process.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

struct CommandResult {
	int exit_code = -1;
	std::string output; // stdout and stderr, interleaved as the tool wrote them
};

class CommandError : public std::runtime_error {
public:
	CommandError(const std::string &cmdline, const CommandResult &r);
	CommandResult result;
};

// Quotes argv as a shell would need it, for logs and --explain.
std::string shell_join(const std::vector<std::string> &argv);

// Runs argv[0] (searched in PATH unless it contains '/'); never throws for a
// non-zero exit, only when the program cannot be started. stdin_text is the
// child's whole standard input (for `ip -batch -`); empty means /dev/null.
CommandResult run_command(const std::vector<std::string> &argv, const std::string &stdin_text = {});

// Same, but a non-zero exit is a CommandError carrying the tool's message.
CommandResult run_checked(const std::vector<std::string> &argv, const std::string &stdin_text = {});

// argv run inside network namespace ns, as `ip netns exec NS argv...` would
// run it, but in one process: the child enters the namespace itself before
// it execs (a TCG guest pays a few hundred milliseconds for every exec).
// Nothing else of `ip netns exec` is needed by the tools run this way (it
// also remounts /sys for the namespace; ping, ethtool and bpftool use sockets).
CommandResult run_command_in(const std::string &ns, const std::vector<std::string> &argv);
// How to type the same by hand.
std::vector<std::string> netns_exec_argv(const std::string &ns, const std::vector<std::string> &argv);

// A tool running while the harness goes on (a ping whose requests are
// accounted for as they go): output collected in the background; stopped
// with SIGINT when it has nothing more to tell, killed if still running when
// the object goes away.
class BackgroundCommand {
public:
	// ns: "" to stay in this namespace, else as run_command_in.
	explicit BackgroundCommand(const std::vector<std::string> &argv, const std::string &ns = "");
	~BackgroundCommand();
	BackgroundCommand(const BackgroundCommand &) = delete;
	BackgroundCommand &operator=(const BackgroundCommand &) = delete;
	bool running();
	void interrupt(); // SIGINT: ping prints its statistics and exits
	CommandResult wait();

private:
	struct State;
	std::unique_ptr<State> s_;
};

// Where a tool lives, or "" if it is not installed.
std::string find_tool(const std::string &name);

// bpftool is a run-time dependency of some experiments: $XDPLAB_BPFTOOL if
// set (a user's own build), else the one in PATH/sbin; "" when there is none.
std::string bpftool_path();

} // namespace xdplab
