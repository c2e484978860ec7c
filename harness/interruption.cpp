#include "interruption.h"

namespace xdplab {

namespace {

volatile std::sig_atomic_t signalled = 0;

void on_signal(int)
{
	signalled = 1;
}

} // namespace

Interruption Interruption::from_signals()
{
	static const bool installed = [] {
		struct sigaction sa {};
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0;
		for (int s : {SIGINT, SIGTERM, SIGHUP})
			sigaction(s, &sa, nullptr);
		return true;
	}();
	(void)installed;
	Interruption token;
	token.flag_ = &signalled;
	return token;
}

} // namespace xdplab
