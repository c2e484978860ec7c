#include "outputs.h"
#include "../formats/ktap.h"

#include <filesystem>
#include <iostream>

namespace xdplab::cli {

namespace fs = std::filesystem;

void ensure_parent_dir(const std::string &path)
{
	auto parent = fs::path(path).parent_path();
	if (!parent.empty())
		fs::create_directories(parent);
}

void write_ktap(const std::string &path, const std::vector<ResultFile> &files)
{
	if (path.empty())
		return;
	std::vector<const RunResults *> runs;
	for (const auto &f : files)
		if (!f.results.experiments.empty()) // a bench's results have no tests
			runs.push_back(&f.results);
	std::string text = to_ktap(runs);
	if (path == "-") {
		std::cout << text << std::flush;
		return;
	}
	ensure_parent_dir(path);
	write_file_atomic(path, text);
}

} // namespace xdplab::cli
