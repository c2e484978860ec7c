#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <sstream>

namespace xdplab {

namespace {
// Per thread: the messages since the outermost capture began, and how many
// captures are open. No lock needed, nothing here is shared.
thread_local std::string t_log;
thread_local int t_depth = 0;

std::once_flag g_installed;

int route(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || t_depth == 0)
		return 0;
	// Verifier logs run to many kilobytes: measure first, then format whole.
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(nullptr, 0, fmt, ap);
	if (n > 0) {
		size_t old = t_log.size();
		t_log.resize(old + static_cast<size_t>(n) + 1);
		vsnprintf(t_log.data() + old, static_cast<size_t>(n) + 1, fmt, again);
		t_log.resize(old + static_cast<size_t>(n));
	}
	va_end(again);
	return n;
}
} // namespace

LibbpfLogCapture::LibbpfLogCapture()
{
	// libbpf_set_print() itself is not thread-safe; setting it once, before
	// any capture can be read, keeps it out of the threads' way afterwards.
	std::call_once(g_installed, [] { libbpf_set_print(route); });
	if (t_depth++ == 0)
		t_log.clear();
	start_ = t_log.size();
}

LibbpfLogCapture::~LibbpfLogCapture()
{
	if (--t_depth == 0)
		std::string().swap(t_log); // a verifier log can be large: do not keep it per thread
}

std::string LibbpfLogCapture::text() const
{
	return start_ <= t_log.size() ? t_log.substr(start_) : std::string();
}

std::string LibbpfLogCapture::kernel_message() const
{
	std::istringstream in(text());
	std::string line, best;
	while (std::getline(in, line)) {
		auto pos = line.find("Kernel error message: ");
		if (pos != std::string::npos)
			best = line.substr(pos + 22);
	}
	return best;
}

std::string verifier_reason(const std::string &log)
{
	std::istringstream in(log);
	std::string line, reason;
	bool inside = false;
	while (std::getline(in, line)) {
		if (line.find("-- BEGIN PROG LOAD LOG --") != std::string::npos) {
			inside = true;
			reason.clear();
			continue;
		}
		if (line.find("-- END PROG LOAD LOG --") != std::string::npos) {
			inside = false;
			continue;
		}
		if (!inside || line.empty() || line.rfind("processed ", 0) == 0 ||
		    line.rfind("verification time", 0) == 0 || line.rfind("stack depth", 0) == 0)
			continue;
		reason = line;
	}
	return reason;
}

} // namespace xdplab
