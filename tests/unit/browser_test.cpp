// The pure parts of the browser module: recognising a PNG, finding chromium.
#include "harness/browser.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

using namespace xdplab;

namespace {

std::string write_temp(const std::string &name, const std::string &bytes)
{
	std::string path = "/tmp/xdplab-browser-test-" + std::to_string(getpid()) + "-" + name;
	std::ofstream(path, std::ios::binary) << bytes;
	return path;
}

} // namespace

BOOST_AUTO_TEST_SUITE(browser)

BOOST_AUTO_TEST_CASE(a_png_is_its_signature_and_an_ihdr_chunk_first)
{
	const std::string signature("\x89PNG\r\n\x1a\n", 8);
	const std::string ihdr("\0\0\0\x0dIHDR\0\0\x06\x40\0\0\x04\xb0\x08\x06\0\0\0", 21);
	std::string png = write_temp("a.png", signature + ihdr);
	std::string html = write_temp("b.png", "<!DOCTYPE html><html></html>");
	std::string truncated = write_temp("c.png", signature);
	std::string other_chunk = write_temp("d.png", signature + std::string("\0\0\0\x0dIDAT", 8) + ihdr.substr(8));
	BOOST_TEST(is_png_file(png));
	BOOST_TEST(!is_png_file(html));
	BOOST_TEST(!is_png_file(truncated));
	BOOST_TEST(!is_png_file(other_chunk));
	BOOST_TEST(!is_png_file("/nonexistent/report.png"));
	for (const auto &p : {png, html, truncated, other_chunk})
		std::remove(p.c_str());
}

BOOST_AUTO_TEST_CASE(xdplab_chromium_names_the_browser_or_none)
{
	const char *old = std::getenv("XDPLAB_CHROMIUM");
	std::string saved = old ? old : "";
	setenv("XDPLAB_CHROMIUM", "/nonexistent/chromium", 1);
	BOOST_TEST(chromium_path().empty());
	setenv("XDPLAB_CHROMIUM", "/bin/true", 1);
	BOOST_TEST(chromium_path() == "/bin/true");
	BOOST_CHECK_THROW(screenshot("/nonexistent.html", "/tmp/xdplab-browser-test-none.png", 100, 100), BrowserError);
	if (old)
		setenv("XDPLAB_CHROMIUM", saved.c_str(), 1);
	else
		unsetenv("XDPLAB_CHROMIUM");
}

BOOST_AUTO_TEST_SUITE_END()
