// A whole file as text: "" when it cannot be read (callers that must tell
// "missing" from "empty" check first).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace xdplab {

std::string read_file(const std::string &path);

// The lines of a text, each without its surrounding blanks.
std::vector<std::string> trimmed_lines(const std::string &text);

// A directory's entries, sorted (so that a tree with two candidates always
// yields the same one); none when it is not a directory.
std::vector<std::filesystem::path> sorted_entries(const std::filesystem::path &dir);

} // namespace xdplab
