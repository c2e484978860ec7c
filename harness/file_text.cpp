#include "file_text.h"

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

} // namespace xdplab
