#include "figures.h"

#include <algorithm>
#include <cmath>
#include <limits>
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

namespace {

// 1-based rank k of the lower bound: the largest k with P(Binomial(n, 1/2) < k) <= 2.5 %.
int lower_rank(int n)
{
	double p = std::pow(0.5, n), cumulative = 0, choose = 1;
	int k = 1;
	for (int i = 0; i < n; ++i) {
		cumulative += choose * p; // P(X = i)
		if (cumulative > 0.025)
			break;
		k = i + 1;
		choose = choose * (n - i) / (i + 1);
	}
	return std::min(k, (n + 1) / 2);
}

// The distribution of the median of n draws (with replacement) from the
// sorted values d: the median is d[j] when its middle rank falls there;
// P(median <= d[j]) = P(Binomial(n, (j+1)/n) >= rank). For an even n the
// lower middle rank stands for the median (the mean of the two middle ones
// would need the joint law; the lower one is the wider of the two).
std::vector<double> median_law(const std::vector<double> &d)
{
	const int n = static_cast<int>(d.size()), rank = (n + 1) / 2;
	auto at_least = [&](double p) {
		double sum = 0, choose = 1; // choose = C(n, i)
		for (int i = 0; i <= n; ++i) {
			if (i >= rank)
				sum += choose * std::pow(p, i) * std::pow(1 - p, n - i);
			choose = choose * (n - i) / (i + 1);
		}
		return sum;
	};
	std::vector<double> prob;
	double below = 0;
	for (int j = 0; j < n; ++j) {
		double upto = at_least(static_cast<double>(j + 1) / n);
		prob.push_back(upto - below);
		below = upto;
	}
	return prob;
}

// Where the median of another run of as many rounds lands, seen from this
// run's: the law of M1 - M2, both medians of draws from the rounds taken
// (the exact bootstrap), cut at 2.5 % and 97.5 %, around this run's median.
std::pair<double, double> again_band(const std::vector<double> &d, double median)
{
	std::vector<double> law = median_law(d);
	std::vector<std::pair<double, double>> diff; // (M1 - M2, probability)
	for (size_t a = 0; a < d.size(); ++a)
		for (size_t b = 0; b < d.size(); ++b)
			diff.emplace_back(d[a] - d[b], law[a] * law[b]);
	std::sort(diff.begin(), diff.end());
	double cumulative = 0, low = diff.front().first, high = diff.back().first;
	bool low_set = false;
	for (const auto &[v, p] : diff) {
		cumulative += p;
		if (!low_set && cumulative >= 0.025) {
			low = v;
			low_set = true;
		}
		if (cumulative >= 0.975) {
			high = v;
			break;
		}
	}
	return {median + low, median + high};
}

PairedDifference interval_of(std::vector<double> d)
{
	std::sort(d.begin(), d.end());
	PairedDifference out;
	out.n = static_cast<int>(d.size());
	out.ns = stat_of(d).median;
	int k = lower_rank(out.n);
	out.median_low = d[static_cast<size_t>(k - 1)];
	out.median_high = d[static_cast<size_t>(out.n - k)];
	auto [again_low, again_high] = again_band(d, out.ns);
	out.low = std::min(out.median_low, again_low);
	out.high = std::max(out.median_high, again_high);
	return out;
}

void check_pairs(const std::vector<double> &feature, const std::vector<double> &base)
{
	if (feature.empty() || feature.size() != base.size())
		throw std::invalid_argument("paired figures need the same number of repetitions on both sides");
}

} // namespace

PairedDifference paired_difference(const std::vector<double> &feature, const std::vector<double> &base)
{
	check_pairs(feature, base);
	std::vector<double> d;
	for (size_t i = 0; i < feature.size(); ++i)
		d.push_back(feature[i] - base[i]);
	return interval_of(d);
}

PairedDifference paired_ratio(const std::vector<double> &feature, const std::vector<double> &base)
{
	check_pairs(feature, base);
	std::vector<double> d;
	for (size_t i = 0; i < feature.size(); ++i) {
		if (base[i] == 0)
			throw std::invalid_argument("no anchor figure to compare with");
		d.push_back(feature[i] / base[i]);
	}
	return interval_of(d);
}

namespace {

// Per round, the median over the cases of the round's figure over that case's
// reference (NaN for a round no case has a figure in).
std::vector<double> round_ratios(const std::vector<std::vector<double>> &by_case,
				 double (*reference)(const std::vector<double> &))
{
	size_t rounds = 0;
	std::vector<double> refs;
	for (const auto &c : by_case) {
		rounds = std::max(rounds, c.size());
		std::vector<double> measured;
		for (double v : c)
			if (!std::isnan(v) && v > 0)
				measured.push_back(v);
		refs.push_back(measured.empty() ? std::nan("") : reference(measured));
	}
	std::vector<double> out(rounds, std::nan(""));
	for (size_t r = 0; r < rounds; ++r) {
		std::vector<double> ratios;
		for (size_t c = 0; c < by_case.size(); ++c)
			if (r < by_case[c].size() && !std::isnan(by_case[c][r]) && !std::isnan(refs[c]))
				ratios.push_back(by_case[c][r] / refs[c]);
		if (!ratios.empty())
			out[r] = stat_of(ratios).median;
	}
	return out;
}

double fastest(const std::vector<double> &v) { return *std::min_element(v.begin(), v.end()); }
double middle(const std::vector<double> &v) { return stat_of(v).median; }

} // namespace

std::vector<bool> disturbed_rounds(const std::vector<std::vector<double>> &by_case, double threshold)
{
	std::vector<double> ratio = round_ratios(by_case, fastest);
	std::vector<bool> out;
	for (double r : ratio)
		out.push_back(!std::isnan(r) && r > threshold);
	return out;
}

std::vector<double> round_states(const std::vector<std::vector<double>> &by_case)
{
	return round_ratios(by_case, middle);
}

PairedDifference with_states(PairedDifference d, const std::vector<double> &states)
{
	double low = 1, high = 1; // this run's own state is among those another run may sit in
	for (double s : states)
		if (!std::isnan(s)) {
			low = std::min(low, s);
			high = std::max(high, s);
		}
	double down = d.ns * (low - 1), up = d.ns * (high - 1);
	d.low += std::min(down, up);
	d.high += std::max(down, up);
	d.state_low = low;
	d.state_high = high;
	return d;
}

std::optional<Levels> split_levels(std::vector<double> v, double min_gap)
{
	if (v.size() < 4)
		return std::nullopt;
	std::sort(v.begin(), v.end());
	size_t at = 0;
	double widest = 0;
	for (size_t i = 1; i < v.size(); ++i)
		if (v[i] - v[i - 1] > widest) {
			widest = v[i] - v[i - 1];
			at = i;
		}
	if (widest <= min_gap || at < 2 || v.size() - at < 2)
		return std::nullopt;
	std::vector<double> low(v.begin(), v.begin() + static_cast<long>(at)), high(v.begin() + static_cast<long>(at), v.end());
	return Levels{stat_of(low).median, stat_of(high).median, static_cast<int>(low.size()), static_cast<int>(high.size())};
}


} // namespace xdplab::cost
