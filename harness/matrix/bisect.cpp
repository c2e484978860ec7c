#include "bisect.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace xdplab {

std::string to_string(BisectStatus s)
{
	switch (s) {
	case BisectStatus::Found:
		return "found";
	case BisectStatus::NothingToBisect:
		return "nothing_to_bisect";
	case BisectStatus::EndpointUnusable:
		return "endpoint_unusable";
	case BisectStatus::OnlySkippedLeft:
		return "only_skipped_left";
	}
	return "?";
}

namespace {

// The untried index nearest the middle of (lo, hi), or nullopt if all were tried.
std::optional<size_t> next_to_try(size_t lo, size_t hi, const std::set<size_t> &skipped)
{
	size_t mid = lo + (hi - lo) / 2;
	for (size_t d = 0; d < hi - lo; ++d) {
		for (size_t i : {mid + d, mid - d})
			if (i > lo && i < hi && !skipped.count(i))
				return i;
	}
	return std::nullopt;
}

} // namespace

BisectOutcome bisect_builds(const std::vector<DebianKernel> &candidates, const BuildRunner &run)
{
	if (candidates.size() < 2)
		throw std::invalid_argument("bisect needs a good and a bad build");
	BisectOutcome out;
	size_t lo = 0, hi = candidates.size() - 1;
	auto ends = run({candidates[lo], candidates[hi]});
	if (ends.size() != 2)
		throw std::logic_error("the build runner returned " + std::to_string(ends.size()) + " outcomes for 2 builds");
	const json good = ends[0].observations;
	auto judge = [&](const BuildOutcome &o) {
		if (!o.usable())
			return "skip";
		return o.observations == good ? "good" : "bad";
	};
	out.trials.push_back({candidates[lo], ends[0], ends[0].usable() ? "good" : "skip"});
	out.trials.push_back({candidates[hi], ends[1], judge(ends[1])});
	out.last_good = lo;
	out.first_bad = hi;
	if (!ends[0].usable() || !ends[1].usable()) {
		out.status = BisectStatus::EndpointUnusable;
		return out;
	}
	if (out.trials.back().judged == std::string("good")) {
		out.status = BisectStatus::NothingToBisect;
		return out;
	}

	std::set<size_t> skipped;
	while (hi - lo > 1) {
		auto i = next_to_try(lo, hi, skipped);
		if (!i) {
			out.status = BisectStatus::OnlySkippedLeft;
			out.last_good = lo;
			out.first_bad = hi;
			return out;
		}
		auto r = run({candidates[*i]});
		if (r.size() != 1)
			throw std::logic_error("the build runner returned " + std::to_string(r.size()) + " outcomes for 1 build");
		std::string j = judge(r[0]);
		out.trials.push_back({candidates[*i], r[0], j});
		if (j == "skip")
			skipped.insert(*i);
		else if (j == "good")
			lo = *i;
		else
			hi = *i;
	}
	out.status = BisectStatus::Found;
	out.last_good = lo;
	out.first_bad = hi;
	return out;
}

const BuildOutcome *outcome_of(const BisectOutcome &o, const DebianKernel &k)
{
	for (const auto &t : o.trials)
		if (t.build.package == k.package && t.build.version == k.version)
			return &t.outcome;
	return nullptr;
}

std::vector<DebianKernel> bisect_candidates(const std::vector<DebianKernel> &available,
					    const std::string &good_request, const std::string &bad_request)
{
	std::vector<DebianKernel> complete;
	for (const auto &k : available) {
		if (!k.missing.empty())
			continue;
		// The unsigned image is the same kernel as the signed one of its version.
		bool signed_twin = !k.is_signed && std::any_of(available.begin(), available.end(), [&](const auto &o) {
			return o.is_signed && o.missing.empty() && o.version == k.version &&
			       o.package + "-unsigned" == k.package;
		});
		if (!signed_twin)
			complete.push_back(k);
	}
	std::sort(complete.begin(), complete.end(), kernel_older);
	auto pick = [&](const std::string &what, const std::string &request) {
		auto k = choose_kernel(parse_kernel_request(request), complete);
		if (!k)
			throw std::invalid_argument(what + " " + request + ": no complete Debian build of it in the archive");
		return *k;
	};
	DebianKernel good = pick("--good", good_request), bad = pick("--bad", bad_request);
	if (!kernel_older(good, bad) && !kernel_older(bad, good))
		throw std::invalid_argument("--good " + good_request + " and --bad " + bad_request +
					    " are the same build, " + build_name(good));
	bool forward = kernel_older(good, bad);
	const DebianKernel &older = forward ? good : bad, &newer = forward ? bad : good;
	std::vector<DebianKernel> out;
	for (const auto &k : complete)
		if (!kernel_older(k, older) && !kernel_older(newer, k))
			out.push_back(k);
	if (!forward)
		std::reverse(out.begin(), out.end());
	return out;
}

std::vector<ObservationChange> observation_diff(const json &good, const json &bad)
{
	std::map<std::string, ObservationChange> changes;
	auto value = [](const json &obj, const std::string &key) {
		return obj.is_object() && obj.contains(key) ? obj.at(key) : json();
	};
	for (const json *side : {&good, &bad})
		if (side->is_object())
			for (const auto &[key, _] : side->items())
				if (value(good, key) != value(bad, key))
					changes[key] = {key, value(good, key), value(bad, key)};
	std::vector<ObservationChange> out;
	for (auto &[_, c] : changes)
		out.push_back(c);
	return out;
}

std::string build_name(const DebianKernel &k)
{
	return k.package + " " + k.version + " (" + k.upstream + ")";
}

} // namespace xdplab
