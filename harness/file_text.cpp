#include "file_text.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace xdplab {

std::string read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

std::vector<std::string> trimmed_lines(const std::string &text)
{
	std::vector<std::string> out;
	std::istringstream in(text);
	for (std::string l; std::getline(in, l);) {
		size_t b = l.find_first_not_of(" \t\r\n");
		out.push_back(b == std::string::npos ? "" : l.substr(b, l.find_last_not_of(" \t\r\n") - b + 1));
	}
	return out;
}

std::vector<std::filesystem::path> sorted_entries(const std::filesystem::path &dir)
{
	std::vector<std::filesystem::path> out;
	std::error_code ec;
	if (!std::filesystem::is_directory(dir, ec))
		return out;
	for (const auto &e : std::filesystem::directory_iterator(dir, ec))
		out.push_back(e.path());
	std::sort(out.begin(), out.end());
	return out;
}

} // namespace xdplab
