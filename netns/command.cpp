#include "command.h"

#include "netns_scope.h"

// Boost.Process offers vfork only where the feature macros claim an old
// POSIX; glibc has vfork whatever they say (why it is wanted: run_command).
#define BOOST_POSIX_HAS_VFORK 1
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/posix.hpp>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <system_error>
#include <thread>

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

namespace {

// Both ends close-on-exec: a child that another thread starts at the same
// moment must not inherit them, or the output would only reach EOF when that
// unrelated child exits. dup2() onto the child's 0/1/2 drops the flag there.
bp::pipe cloexec_pipe()
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		throw std::system_error(errno, std::generic_category(), "pipe2");
	return bp::pipe(fds[0], fds[1]);
}

// Writes text into fd and closes it: the EOF is what ends an `ip -batch -`.
// Runs on its own thread, so that a child filling its output pipe before it
// has read all of its input cannot block both sides.
void feed(int fd, const std::string &text)
{
	// A child that exits without reading everything must cost an EPIPE here,
	// not a SIGPIPE that kills the harness. Blocked on this thread only; a
	// pending SIGPIPE is discarded when the thread exits.
	sigset_t pipe_signal;
	sigemptyset(&pipe_signal);
	sigaddset(&pipe_signal, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
	size_t done = 0;
	while (done < text.size()) {
		ssize_t n = write(fd, text.data() + done, text.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; // the child stopped reading: its exit status and output say why
		done += static_cast<size_t>(n);
	}
	close(fd);
}

std::string read_all(int fd)
{
	std::string out;
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out.append(buf, static_cast<size_t>(n));
	}
	while (!out.empty() && out.back() == '\n')
		out.pop_back();
	return out;
}

} // namespace

namespace {

// The namespace's file, opened by the parent: the vfork child only calls setns().
struct NetnsFd {
	int fd = -1;
	explicit NetnsFd(const std::string &ns)
	{
		if (ns.empty())
			return;
		fd = open(netns_path(ns).c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			throw std::runtime_error("cannot open network namespace " + ns + ": " + strerror(errno));
	}
	~NetnsFd()
	{
		if (fd >= 0)
			close(fd);
	}
};

// A process group of its own: a terminal's Ctrl-C reaches the harness, which
// tears down in order, and not the tool doing part of the teardown. Then the
// namespace, if any; 127, as a shell says "could not run it", if that fails.
auto child_setup(int netns_fd)
{
	return bp::extend::on_exec_setup = [netns_fd](auto &) {
		setpgid(0, 0);
		if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0)
			_exit(127);
	};
}

CommandResult run_in(const std::string &ns, const std::vector<std::string> &argv, const std::string &stdin_text);

} // namespace

CommandResult run_command(const std::vector<std::string> &argv, const std::string &stdin_text)
{
	return run_in("", argv, stdin_text);
}

CommandResult run_command_in(const std::string &ns, const std::vector<std::string> &argv)
{
	return run_in(ns, argv, "");
}

std::vector<std::string> netns_exec_argv(const std::string &ns, const std::vector<std::string> &argv)
{
	std::vector<std::string> out{"ip", "netns", "exec", ns};
	out.insert(out.end(), argv.begin(), argv.end());
	return out;
}

namespace {

CommandResult run_in(const std::string &ns, const std::vector<std::string> &argv, const std::string &stdin_text)
{
	if (argv.empty())
		throw std::invalid_argument("run_command: empty argv");
	std::string exe = find_tool(argv[0]);
	if (exe.empty())
		throw std::runtime_error("required tool not found: " + argv[0]);

	NetnsFd netns(ns);
	bp::pipe out = cloexec_pipe();
	std::vector<std::string> args(argv.begin() + 1, argv.end());
	// vfork, not fork: copying the page tables of a large multi-threaded
	// process for every tool (and the copy-on-write faults and TLB shootdowns
	// that follow in the threads still running) cost more than the tools.
	auto own_group = child_setup(netns.fd);
	std::optional<bp::child> child;
	std::thread writer;
	if (stdin_text.empty()) {
		child.emplace(exe, bp::args(args), (bp::std_out & bp::std_err) > out, bp::std_in < bp::null, own_group,
			      bp::posix::use_vfork);
	} else {
		bp::pipe in = cloexec_pipe();
		child.emplace(exe, bp::args(args), (bp::std_out & bp::std_err) > out, bp::std_in < in, own_group,
			      bp::posix::use_vfork);
		writer = std::thread(feed, in.native_sink(), std::cref(stdin_text));
		in.assign_sink(-1); // the writer closes it
	}
	CommandResult r;
	r.output = read_all(out.native_source());
	if (writer.joinable())
		writer.join();
	child->wait();
	r.exit_code = child->exit_code();
	return r;
}

} // namespace

CommandResult run_checked(const std::vector<std::string> &argv, const std::string &stdin_text)
{
	CommandResult r = run_command(argv, stdin_text);
	if (r.exit_code != 0)
		throw CommandError(shell_join(argv), r);
	return r;
}

} // namespace xdplab

namespace xdplab {

struct BackgroundCommand::State {
	bp::pipe out;
	std::optional<bp::child> child;
	std::thread reader;
	std::string output;
	bool waited = false;
	CommandResult result;
};

BackgroundCommand::BackgroundCommand(const std::vector<std::string> &argv, const std::string &ns)
	: s_(std::make_unique<State>())
{
	if (argv.empty())
		throw std::invalid_argument("BackgroundCommand: empty argv");
	std::string exe = find_tool(argv[0]);
	if (exe.empty())
		throw std::runtime_error("required tool not found: " + argv[0]);
	NetnsFd netns(ns);
	s_->out = cloexec_pipe();
	std::vector<std::string> args(argv.begin() + 1, argv.end());
	auto own_group = child_setup(netns.fd);
	s_->child.emplace(exe, bp::args(args), (bp::std_out & bp::std_err) > s_->out, bp::std_in < bp::null, own_group,
			  bp::posix::use_vfork);
	int fd = s_->out.native_source();
	s_->out.assign_source(-1);
	s_->out.close(); // the child holds the write end
	s_->reader = std::thread([this, fd] {
		s_->output = read_all(fd);
		close(fd);
	});
}

bool BackgroundCommand::running()
{
	return !s_->waited && s_->child->running();
}

void BackgroundCommand::interrupt()
{
	if (running())
		::kill(s_->child->id(), SIGINT);
}

CommandResult BackgroundCommand::wait()
{
	if (!s_->waited) {
		s_->child->wait();
		if (s_->reader.joinable())
			s_->reader.join();
		s_->result = {s_->child->exit_code(), s_->output};
		s_->waited = true;
	}
	return s_->result;
}

BackgroundCommand::~BackgroundCommand()
{
	if (!s_->waited) {
		if (s_->child->running())
			::kill(s_->child->id(), SIGKILL);
		std::error_code ec;
		s_->child->wait(ec);
		if (s_->reader.joinable())
			s_->reader.join();
	}
}

} // namespace xdplab
