// The arithmetic of the cost bench, kept pure so that it can be tested: per
// repetition Mpps and CPU-ns per packet, their median, min, max and spread
// over the repetitions, and the cost of a feature as the difference between
// two cases with its noise band.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace xdplab::cost {

// One repetition of a case: what was injected and what it took.
struct Sample {
	uint64_t packets = 0; // frames injected (per port for a broadcast: the injected ones)
	uint64_t wall_ns = 0; // the injection's wall time
	uint64_t cpu_ns = 0;  // CPU time the kernel accounted to the whole path
	int round = -1;       // the round of the bench it was taken in (every case once per round)
	// The machine meanwhile, from /proc/stat (10 ms ticks): time the hypervisor
	// took from the bench's CPU, and kernel time (system, irq, softirq) spent on
	// the other CPUs: what moved the figures in the runs examined (README).
	uint64_t steal_ns = 0, others_kernel_ns = 0;
	bool disturbed = false; // taken in a round the machine was in its slow state (disturbed_rounds)
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

// A feature's cost from paired repetitions: d_i = feature_i - base_i, each
// pair taken in the same round, moments apart. `ns` is the median of the d_i.
// [median_low, median_high] is the distribution-free 95 % confidence interval
// of that median (the order statistics a binomial(n, 1/2) puts 95 % between;
// min and max for n <= 8): where the median of endlessly many rounds of this
// run would be. A run's rounds share what the run fixes, so another whole run
// lands outside that interval more often than 5 % (README, "Do the figures
// reproduce?"). [low, high], the band printed, also holds where the median of
// another run of as many rounds lands, 95 %: the law of the difference of two
// medians drawn from the rounds (exact bootstrap), around `ns`.
struct PairedDifference {
	double ns = 0, low = 0, high = 0;
	double median_low = 0, median_high = 0;
	double state_low = 1, state_high = 1; // the machine's states the band allows for (with_states)
	int n = 0;
	bool significant() const { return low > 0 || high < 0; }
};
// Pairs by position; throws std::invalid_argument unless both have the same size >= 1.
PairedDifference paired_difference(const std::vector<double> &feature, const std::vector<double> &base);
// The same for ratios feature_i / base_i (the anchor).
PairedDifference paired_ratio(const std::vector<double> &feature, const std::vector<double> &base);

// The rounds in which the machine was in its slow state. Every case of a
// round moves together (README, "Why"), so a round is judged by all of its
// cases: per case the ratio of the round's ns/packet to that case's fastest
// round, and the round is disturbed when the median of those ratios exceeds
// `threshold`. by_case[c][r]: case c in round r, NaN where not measured.
std::vector<bool> disturbed_rounds(const std::vector<std::vector<double>> &by_case, double threshold = 1.2);

// The machine's state in each round, seen from all cases together: per case
// the round's ns/packet over that case's median, and the median of those
// ratios over the cases (NaN for a round without figures). A whole run sits
// in a state of the machine that moves every case alike by 1-3 %, invisible
// between its rounds (README, "Do the figures reproduce?"); how far the state
// moves from round to round is what a run can see of it.
std::vector<double> round_states(const std::vector<std::vector<double>> &by_case);

// The band of a cost `c` widened by the states another run may sit in: the
// cost moves with the state (c * s), and another run is taken to sit in any
// state this run's rounds passed through (s from the lowest to the highest
// round state, 1 included). Added to the band's ends, not combined with the
// rounds' law, which already holds the states' round-to-round part: it is the
// wider, safer figure.
PairedDifference with_states(PairedDifference d, const std::vector<double> &states);

// Samples that fall into two separate levels: sorted, the widest gap between
// neighbours exceeds `min_gap` (in the values' unit) and at least two samples
// lie on each side. Then the median of each level, lower first. For a case's
// ns/packet the bench uses 20 % of its median; in-run spreads are 1-6 %.
struct Levels {
	double low = 0, high = 0;
	int n_low = 0, n_high = 0;
};
std::optional<Levels> split_levels(std::vector<double> values, double min_gap);

} // namespace xdplab::cost
