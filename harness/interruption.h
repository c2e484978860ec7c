// SIGINT, SIGTERM and SIGHUP as one token. The handlers only set a flag;
// whatever must stop asks the token at points where unwinding is safe, and
// the unwinding tears down what the run made.
#pragma once
#include <csignal>
#include <stdexcept>

namespace xdplab {

// Thrown when a signal asked the run to stop.
class Interrupted : public std::runtime_error {
public:
	Interrupted() : std::runtime_error("interrupted") {}
};

class Interruption {
public:
	// A token no signal reaches (tests, --explain, tools run apart).
	Interruption() = default;
	// The process's token; installs the handlers the first time. No
	// SA_RESTART: blocking calls return EINTR and the caller asks again.
	static Interruption from_signals();

	bool requested() const { return flag_ && *flag_; }
	void check() const
	{
		if (requested())
			throw Interrupted();
	}

private:
	const volatile std::sig_atomic_t *flag_ = nullptr;
};

} // namespace xdplab
