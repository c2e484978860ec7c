#include "table.h"

#include <algorithm>
#include <iomanip>

namespace xdplab {

void print_table(std::ostream &out, const RunResults &r)
{
	size_t w = 10;
	for (const auto &e : r.experiments)
		w = std::max(w, e.id.size() + 1 + e.subtest.size());
	out << "\nkernel " << r.kernel.release << " (" << r.kernel.version.str() << ")\n";
	out << std::left << std::setw(static_cast<int>(w) + 2) << "EXPERIMENT/SUBTEST" << std::setw(11) << "VERDICT"
	    << std::setw(7) << "SEED" << std::setw(8) << "MS"
	    << "REASON\n";
	for (const auto &e : r.experiments) {
		std::string seed = !e.seed_claim_holds ? "-" : *e.seed_claim_holds ? "holds" : "no";
		std::string reason = e.reason;
		if (reason.size() > 110)
			reason = reason.substr(0, 107) + "...";
		out << std::left << std::setw(static_cast<int>(w) + 2) << (e.id + "/" + e.subtest) << std::setw(11)
		    << to_string(e.verdict) << std::setw(7) << seed << std::setw(8) << e.duration_ms << reason << "\n";
	}
	Summary s = r.summary();
	out << "\n" << s.confirmed << " confirmed, " << s.deviates << " deviates, " << s.skipped << " skipped, "
	    << s.error << " error";
	if (s.unpinned)
		out << ", " << s.unpinned << " unpinned (the expectation accepts either outcome: not a verdict)";
	out << "   (" << r.duration_ms << " ms)\n";
}

} // namespace xdplab
