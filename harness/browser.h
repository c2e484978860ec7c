// Debian's chromium, headless, for what people look at rather than read: a
// PNG of the report's page. Each call has its own user-data-dir under /tmp,
// removed afterwards, and is killed (with everything it started) after a timeout.
#pragma once
#include <chrono>
#include <stdexcept>
#include <string>

namespace xdplab {

class BrowserError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// $XDPLAB_CHROMIUM if set, else chromium (or chromium-browser) in PATH; "" if none.
std::string chromium_path();

// Renders HTML_PATH in a WIDTH x HEIGHT window into PNG_PATH. BrowserError
// (with chromium's last words) if it fails, times out, or writes no valid PNG.
void screenshot(const std::string &html_path, const std::string &png_path, int width, int height,
		std::chrono::seconds timeout = std::chrono::seconds(60));

// Whether PATH holds a PNG: non-empty, PNG signature, an IHDR chunk first.
bool is_png_file(const std::string &path);

} // namespace xdplab
