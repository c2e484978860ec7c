#include "report_command.h"
#include "../formats/kcidb.h"
#include "../report/report.h"
#include "exit_codes.h"
#include "outputs.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

namespace xdplab::cli {

namespace fs = std::filesystem;

int report(const Options &o)
{
	std::vector<std::string> paths = o.report_paths.empty() ? std::vector<std::string>{o.results_dir} : o.report_paths;
	try {
		auto current = load_result_files(paths);
		if (current.empty()) {
			std::cerr << "xdplab: no xdplab-results/1 files under " << paths.front() << "\n";
			return kExitConfig;
		}
		std::optional<std::vector<ResultFile>> baseline;
		if (!o.baseline.empty())
			baseline = load_result_files({o.baseline});
		std::string out = o.report_out;
		if (out.empty())
			out = fs::is_directory(paths.front()) ? paths.front() : fs::path(paths.front()).parent_path().string();
		std::ostream &human = o.ktap_path == "-" ? std::cerr : std::cout;
		write_report(current, baseline, out, {}, human);
		human << "report: " << out << "/report.md, " << out << "/report.html (" << current.size()
		      << " kernel(s))\n";
		write_ktap(o.ktap_path, current);
		if (!o.kcidb_path.empty()) {
			KcidbOptions k{o.artifacts_url, fs::is_directory(paths.front()) ? paths.front() : out};
			ensure_parent_dir(o.kcidb_path);
			write_file_atomic(o.kcidb_path, to_kcidb(current, k).dump(1) + "\n");
			human << "kcidb: " << o.kcidb_path << "\n";
		}
		int rc = 0;
		for (const auto &f : current)
			rc = std::max(rc, f.results.exit_code());
		return rc;
	} catch (const std::exception &e) {
		std::cerr << "xdplab: " << e.what() << "\n";
		return kExitConfig;
	}
}

} // namespace xdplab::cli
