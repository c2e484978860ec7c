#include "boundary_kernels.h"
#include "../vm/changelog.h"
#include "../vm/kernel_images.h"

#include <algorithm>
#include <map>

namespace xdplab {

std::vector<BoundaryPair> boundary_pairs(const std::vector<const ExpectationFile *> &files,
					 const std::vector<DebianKernel> &available)
{
	std::map<std::pair<std::string, std::string>, BoundaryPair> by_edge;
	for (const auto *f : files)
		for (const auto &[name, st] : f->subtests)
			for (const auto &r : st.ranges)
				for (auto [edge, commit] : {std::pair{r.kernels.from, r.from_commit},
							    std::pair{r.kernels.until, r.until_commit}}) {
					if (!edge || edge->patch == 0 || commit.empty())
						continue;
					BoundaryPair &p = by_edge[{edge->str(), commit}];
					p.edge = edge->str();
					p.commit = commit;
					std::string who = f->id + "/" + name;
					if (std::find(p.cited_by.begin(), p.cited_by.end(), who) == p.cited_by.end())
						p.cited_by.push_back(who);
				}
	std::vector<BoundaryPair> out;
	for (auto &[_, p] : by_edge) {
		std::string series = kernel_series(p.edge);
		for (const auto &k : available) {
			// Release candidates and builds without kernel or modules cannot stand for a stable release.
			if (kernel_series(k.upstream) != series || k.upstream.find('~') != std::string::npos ||
			    lacks_kernel_or_modules(k))
				continue;
			if (upstream_version_compare(k.upstream, p.edge) < 0) {
				if (p.without.empty() || upstream_version_compare(k.upstream, p.without) > 0)
					p.without = k.upstream;
			} else if (p.with.empty() || upstream_version_compare(k.upstream, p.with) < 0) {
				p.with = k.upstream;
			}
		}
		out.push_back(p);
	}
	std::sort(out.begin(), out.end(), [](const BoundaryPair &a, const BoundaryPair &b) {
		return upstream_version_compare(a.edge, b.edge) < 0;
	});
	return out;
}

std::vector<std::string> boundary_kernel_requests(const std::vector<BoundaryPair> &pairs, std::ostream &why)
{
	std::vector<std::string> out;
	for (const auto &p : pairs) {
		why << "xdplab: boundary " << p.edge << " (" << p.commit << ", " << p.cited_by.size() << " subtest(s)): ";
		if (p.without.empty() || p.with.empty()) {
			why << "not tried: the archive serves no bootable " << kernel_series(p.edge) << " build";
			if (!p.without.empty() || !p.with.empty())
				why << (p.without.empty() ? " before " + p.edge : " from " + p.edge + " on");
			why << "\n";
			continue;
		}
		why << p.without << " (without) and " << p.with << " (with)\n";
		for (const auto &v : {p.without, p.with})
			if (std::find(out.begin(), out.end(), v) == out.end())
				out.push_back(v);
	}
	return out;
}

} // namespace xdplab
