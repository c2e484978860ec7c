#include "figures.h"

#include <algorithm>
#include <stdexcept>

namespace xdplab::cost {

double mpps(const Sample &s)
{
	return s.wall_ns ? static_cast<double>(s.packets) * 1e3 / static_cast<double>(s.wall_ns) : 0.0;
}

double ns_per_packet(const Sample &s)
{
	return s.packets ? static_cast<double>(s.cpu_ns) / static_cast<double>(s.packets) : 0.0;
}

Stat stat_of(std::vector<double> v)
{
	if (v.empty())
		throw std::invalid_argument("no repetitions to take figures from");
	std::sort(v.begin(), v.end());
	Stat s;
	s.n = static_cast<int>(v.size());
	size_t mid = v.size() / 2;
	s.median = v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
	s.min = v.front();
	s.max = v.back();
	s.spread = s.median != 0 ? (s.max - s.min) / s.median : 0.0;
	return s;
}

Figures figures_of(const std::vector<Sample> &samples)
{
	std::vector<double> rate, cost;
	for (const auto &s : samples) {
		if (!s.packets)
			throw std::invalid_argument("a repetition injected no packets");
		rate.push_back(mpps(s));
		cost.push_back(ns_per_packet(s));
	}
	return {stat_of(rate), stat_of(cost)};
}

Difference difference(const Stat &feature, const Stat &base)
{
	return {feature.median - base.median, feature.min - base.max, feature.max - base.min};
}

double ratio(const Stat &feature, const Stat &anchor)
{
	if (anchor.median == 0)
		throw std::invalid_argument("no anchor figure to compare with");
	return feature.median / anchor.median;
}

} // namespace xdplab::cost
