// The files a command writes besides its results JSON: where they go, and the
// KTAP text of the runs.
#pragma once
#include "../results.h"

#include <string>
#include <vector>

namespace xdplab::cli {

// Creates the directory PATH is to be written in, when it has one.
void ensure_parent_dir(const std::string &path);

// KTAP of the runs, to PATH or to stdout ("-"); nothing when PATH is "".
void write_ktap(const std::string &path, const std::vector<ResultFile> &files);

} // namespace xdplab::cli
