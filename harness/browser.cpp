#include "browser.h"
#include "../netns/command.h"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace xdplab {

namespace {

// The profile chromium insists on, for one call only.
class ScratchDir {
public:
	ScratchDir()
	{
		char name[] = "/tmp/xdplab-chromium.XXXXXX";
		if (!mkdtemp(name))
			throw BrowserError("cannot create a chromium user-data-dir under /tmp");
		path_ = name;
	}
	~ScratchDir()
	{
		std::error_code ec;
		fs::remove_all(path_, ec);
	}
	ScratchDir(const ScratchDir &) = delete;
	ScratchDir &operator=(const ScratchDir &) = delete;
	const std::string &path() const { return path_; }

private:
	std::string path_;
};

std::string last_lines(const std::string &path, size_t n)
{
	std::ifstream in(path);
	std::vector<std::string> lines;
	for (std::string l; std::getline(in, l);)
		if (!l.empty())
			lines.push_back(l);
	std::string out;
	for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
		out += "\n  " + lines[i];
	return out;
}

} // namespace

std::string chromium_path()
{
	if (const char *env = std::getenv("XDPLAB_CHROMIUM"); env && *env)
		return access(env, X_OK) == 0 ? std::string(env) : std::string();
	for (const char *name : {"chromium", "chromium-browser"})
		if (std::string p = find_tool(name); !p.empty())
			return p;
	return "";
}

bool is_png_file(const std::string &path)
{
	static const std::array<unsigned char, 16> head = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
							   0,    0,   0,   13,  'I',  'H',  'D',  'R'};
	std::ifstream in(path, std::ios::binary);
	std::array<char, 16> got{};
	if (!in.read(got.data(), got.size()))
		return false;
	for (size_t i = 0; i < head.size(); ++i)
		if (static_cast<unsigned char>(got[i]) != head[i])
			return false;
	return true;
}

void screenshot(const std::string &html_path, const std::string &png_path, int width, int height,
		std::chrono::seconds timeout)
{
	std::string exe = chromium_path();
	if (exe.empty())
		throw BrowserError("chromium is not installed");
	ScratchDir scratch;
	std::string log = scratch.path() + "/chromium.log";
	std::string png = fs::absolute(png_path).string();
	std::error_code ec;
	fs::remove(png, ec); // a PNG from an earlier report must not pass for this one
	std::vector<std::string> args = {
		"--headless", "--disable-gpu", "--no-sandbox", // root has no sandbox to offer
		"--hide-scrollbars", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-background-networking", "--disable-sync", "--disable-component-update",
		"--user-data-dir=" + scratch.path(), "--window-size=" + std::to_string(width) + "," + std::to_string(height),
		"--screenshot=" + png, "file://" + fs::absolute(html_path).string()};
	// A group of its own: on a timeout the renderer and zygote go with it.
	auto own_group = bp::extend::on_exec_setup = [](auto &) { setpgid(0, 0); };
	bp::child child(exe, bp::args(args), bp::std_in < bp::null, (bp::std_out & bp::std_err) > log, own_group);
	auto deadline = std::chrono::steady_clock::now() + timeout;
	while (child.running() && std::chrono::steady_clock::now() < deadline)
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	if (child.running()) {
		// Not reaped yet, so the group id is still this child's.
		::kill(-child.id(), SIGKILL);
		child.wait();
		throw BrowserError("chromium took more than " + std::to_string(timeout.count()) + " s" +
				   last_lines(log, 3));
	}
	if (child.exit_code() != 0)
		throw BrowserError("chromium exited with " + std::to_string(child.exit_code()) + last_lines(log, 3));
	if (!is_png_file(png))
		throw BrowserError("chromium wrote no PNG to " + png + last_lines(log, 3));
}

} // namespace xdplab
