// The exit codes every command shares (main.cpp lists them all); 0, 1 and 2
// are a run's own (RunResults::exit_code), these two say nothing ran to the end.
#pragma once

namespace xdplab::cli {

constexpr int kExitConfig = 3;        // bad input or host not ready: nothing ran, no results written
constexpr int kExitInterrupted = 130; // everything the run created removed, no results written

} // namespace xdplab::cli
