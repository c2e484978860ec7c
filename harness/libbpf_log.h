// libbpf's messages (verifier logs, kernel extack text) captured for a scope,
// so that a failed load or attach reports the kernel's own words.
#pragma once
#include <string>

namespace xdplab {

class LibbpfLogCapture {
public:
	LibbpfLogCapture();
	~LibbpfLogCapture();
	LibbpfLogCapture(const LibbpfLogCapture &) = delete;
	LibbpfLogCapture &operator=(const LibbpfLogCapture &) = delete;
	std::string text() const;
	// The last line that looks like the kernel's reason (extack / verifier).
	std::string kernel_message() const;
};

} // namespace xdplab
