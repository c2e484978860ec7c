// An expectation against what a kernel did: exact values, the matchers
// ($any, $one_of, $incidental) and $packets (expectations.h says what each
// means), and the words a mismatch is reported in.
#include "expectations.h"

#include <string>
#include <vector>

namespace xdplab {

bool matches(const json &expected, const json &observed, const MatchContext &ctx)
{
	if (expected.is_string() && expected == "$packets")
		return observed.is_number_integer() && observed.get<long>() == ctx.packets;
	if (expected.is_object()) {
		if (expected.size() == 1 && (expected.contains("$any") || expected.contains("$incidental")))
			return !observed.is_null();
		if (expected.size() == 1 && expected.contains("$one_of")) {
			for (const auto &alt : expected["$one_of"])
				if (matches(alt, observed, ctx))
					return true;
			return false;
		}
		if (!observed.is_object() || observed.size() != expected.size())
			return false;
		for (auto it = expected.begin(); it != expected.end(); ++it)
			if (!observed.contains(it.key()) || !matches(it.value(), observed[it.key()], ctx))
				return false;
		return true;
	}
	if (expected.is_array()) {
		if (!observed.is_array() || observed.size() != expected.size())
			return false;
		for (size_t i = 0; i < expected.size(); ++i)
			if (!matches(expected[i], observed[i], ctx))
				return false;
		return true;
	}
	if (expected.is_number() && observed.is_number())
		return expected.get<double>() == observed.get<double>();
	return expected == observed;
}

void open_matchers(const json &expected, const std::string &path, std::vector<std::string> &out)
{
	if (expected.is_object()) {
		if (expected.size() == 1 && (expected.contains("$any") || expected.contains("$one_of"))) {
			out.push_back(path);
			return;
		}
		if (expected.size() == 1 && expected.contains("$incidental"))
			return;
		for (auto it = expected.begin(); it != expected.end(); ++it)
			open_matchers(it.value(), path.empty() ? it.key() : path + "." + it.key(), out);
	} else if (expected.is_array()) {
		for (size_t i = 0; i < expected.size(); ++i)
			open_matchers(expected[i], path + "[" + std::to_string(i) + "]", out);
	}
}

std::vector<std::string> open_observations(const json &expected)
{
	std::vector<std::string> out;
	open_matchers(expected, "", out);
	return out;
}

std::vector<std::string> mismatches(const json &expected, const json &observed, const MatchContext &ctx)
{
	std::vector<std::string> out;
	for (auto it = expected.begin(); it != expected.end(); ++it) {
		if (!observed.contains(it.key())) {
			out.push_back(it.key() + ": expected " + it.value().dump() + ", not observed");
			continue;
		}
		if (!matches(it.value(), observed[it.key()], ctx))
			out.push_back(it.key() + ": expected " + it.value().dump() + ", observed " +
				      observed[it.key()].dump());
	}
	return out;
}

} // namespace xdplab
