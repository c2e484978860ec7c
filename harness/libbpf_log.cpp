#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <sstream>

namespace xdplab {

namespace {
std::string g_log;
int g_depth = 0;
libbpf_print_fn_t g_previous = nullptr;

int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	char buf[4096];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	g_log += buf;
	return n;
}

int quiet(enum libbpf_print_level, const char *, va_list)
{
	return 0;
}
} // namespace

LibbpfLogCapture::LibbpfLogCapture()
{
	if (g_depth++ == 0) {
		g_log.clear();
		g_previous = libbpf_set_print(capture);
	}
}

LibbpfLogCapture::~LibbpfLogCapture()
{
	if (--g_depth == 0)
		libbpf_set_print(g_previous ? g_previous : quiet);
}

std::string LibbpfLogCapture::text() const
{
	return g_log;
}

std::string LibbpfLogCapture::kernel_message() const
{
	std::istringstream in(g_log);
	std::string line, best;
	while (std::getline(in, line)) {
		auto pos = line.find("Kernel error message: ");
		if (pos != std::string::npos)
			best = line.substr(pos + 22);
	}
	return best;
}

} // namespace xdplab
