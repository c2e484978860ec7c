// libbpf's messages (verifier logs, kernel extack text) captured for a scope,
// so that a failed load or attach reports the kernel's own words.
//
// A capture belongs to the thread that made it: libbpf's print callback is
// process-wide, so one callback is installed once and files each message
// under the thread that caused it. Subtests running in parallel threads thus
// never see each other's messages. Outside any capture libbpf stays quiet.
#pragma once
#include <cstddef>
#include <string>

namespace xdplab {

class LibbpfLogCapture {
public:
	LibbpfLogCapture();
	~LibbpfLogCapture();
	LibbpfLogCapture(const LibbpfLogCapture &) = delete;
	LibbpfLogCapture &operator=(const LibbpfLogCapture &) = delete;
	// What libbpf said on this thread since this capture began (nested
	// captures' messages included). Call on the capturing thread.
	std::string text() const;
	// The last line that looks like the kernel's reason (extack / verifier).
	std::string kernel_message() const;

private:
	size_t start_; // offset of this capture's first message in the thread's buffer
};

// The verifier's reason for a refusal: the last line of the program load log
// in libbpf's messages, leaving out the statistics lines that follow it.
std::string verifier_reason(const std::string &libbpf_log);

} // namespace xdplab
