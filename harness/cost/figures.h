// The arithmetic of the cost bench, kept pure so that it can be tested: per
// repetition Mpps and CPU-ns per packet, their median, min, max and spread
// over the repetitions, and the cost of a feature as the difference between
// two cases with its noise band.
#pragma once
#include <cstdint>
#include <vector>

namespace xdplab::cost {

// One repetition of a case: what was injected and what it took.
struct Sample {
	uint64_t packets = 0; // frames injected (per port for a broadcast: the injected ones)
	uint64_t wall_ns = 0; // the injection's wall time
	uint64_t cpu_ns = 0;  // CPU time the kernel accounted to the whole path
};

double mpps(const Sample &s);           // packets per microsecond
double ns_per_packet(const Sample &s);  // cpu_ns / packets

// median, min and max of one quantity over the repetitions. spread is
// (max - min) / median, as a fraction: the noise stated with the figure.
struct Stat {
	double median = 0, min = 0, max = 0, spread = 0;
	int n = 0;
};
// Throws std::invalid_argument on no values. Median of an even count: the
// mean of the two middle values.
Stat stat_of(std::vector<double> values);

struct Figures {
	Stat mpps, ns_per_packet;
};
// Throws std::invalid_argument on no samples or a sample without packets.
Figures figures_of(const std::vector<Sample> &samples);

// What `feature` costs over `base`, in ns/packet: the difference of the
// medians, and the band it lies in whatever repetitions are paired (from
// feature.min - base.max to feature.max - base.min). A band that contains 0
// is a difference that cannot be told from noise.
struct Difference {
	double ns = 0, low = 0, high = 0;
	bool significant() const { return low > 0 || high < 0; }
};
Difference difference(const Stat &feature, const Stat &base);

// feature / anchor of two medians, e.g. xdplab's ns/packet over xdp-bench's.
double ratio(const Stat &feature, const Stat &anchor);

} // namespace xdplab::cost
