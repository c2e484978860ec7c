#include "headline.h"

#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace xdplab {

namespace {

// A cell is one line of a table read in a terminal too.
constexpr size_t kMaxHeadline = 52;
constexpr size_t kMaxReason = 48;

// Walks a headline text: literal text to LITERAL, each placeholder to PLACEHOLDER.
void walk_template(const std::string &text, const std::function<void(const std::string &)> &literal,
		   const std::function<void(const std::string &)> &placeholder)
{
	std::string run;
	for (size_t i = 0; i < text.size(); ++i) {
		char c = text[i];
		if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
			run += c;
			++i;
			continue;
		}
		if (c == '}')
			throw std::invalid_argument("stray \"}\" at " + std::to_string(i) + " (a literal one is \"}}\")");
		if (c != '{') {
			run += c;
			continue;
		}
		size_t close = text.find('}', i + 1);
		if (close == std::string::npos)
			throw std::invalid_argument("unclosed \"{\" at " + std::to_string(i));
		std::string name = text.substr(i + 1, close - i - 1);
		if (name.empty() || name.find('{') != std::string::npos)
			throw std::invalid_argument("empty or nested placeholder at " + std::to_string(i));
		literal(run);
		run.clear();
		placeholder(name);
		i = close;
	}
	literal(run);
}

// observations["a"]["b"] for "a.b"; nullopt where a step is missing.
std::optional<json> lookup(const json &observations, const std::string &path)
{
	const json *v = &observations;
	std::istringstream in(path);
	for (std::string step; std::getline(in, step, '.');) {
		if (!v->is_object() || !v->contains(step))
			return std::nullopt;
		v = &(*v)[step];
	}
	return *v;
}

std::optional<std::string> filled(const std::string &text, const json &observations)
{
	std::string out;
	bool complete = true;
	walk_template(
		text, [&](const std::string &s) { out += s; },
		[&](const std::string &name) {
			auto v = lookup(observations, name);
			complete = complete && v.has_value();
			if (!v)
				return;
			// An object's members read as words in a sentence: no braces.
			std::string text = compact_value(*v);
			if (v->is_object() && text.size() >= 2 && text.front() == '{')
				text = text.substr(1, text.size() - 2);
			out += text;
		});
	if (!complete)
		return std::nullopt;
	return out;
}

bool is_zero(const json &v)
{
	return v.is_null() || (v.is_number() && v.get<double>() == 0);
}

// "name=value" of up to two observations: those the expectation names (all
// measured ones if it names none), the ones that vary between kernels first.
std::string generic_headline(const SubtestResult &r, const std::set<std::string> &varying)
{
	const json &named = r.expected.is_object() && !r.expected.empty() ? r.expected : r.observations;
	std::vector<std::string> first, rest;
	for (auto it = named.begin(); it != named.end(); ++it) {
		if (!r.observations.contains(it.key()))
			continue;
		(varying.count(it.key()) ? first : rest).push_back(it.key());
	}
	first.insert(first.end(), rest.begin(), rest.end());
	std::string out;
	for (size_t i = 0; i < first.size() && i < 2; ++i)
		out += (out.empty() ? "" : ", ") + first[i] + "=" + compact_value(r.observations[first[i]]);
	return out.empty() ? "nothing observed" : out;
}

} // namespace

std::string shortened(std::string text, size_t max)
{
	if (auto nl = text.find('\n'); nl != std::string::npos)
		text.erase(nl);
	if (text.size() <= max)
		return text;
	size_t cut = max > 0 ? max - 1 : 0;
	while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
		--cut;
	return text.substr(0, cut) + "…";
}

std::vector<std::string> headline_placeholders(const std::string &text)
{
	std::vector<std::string> names;
	walk_template(
		text, [](const std::string &) {}, [&](const std::string &name) { names.push_back(name); });
	return names;
}

std::string placeholder_observation(const std::string &placeholder)
{
	return placeholder.substr(0, placeholder.find('.'));
}

std::string compact_value(const json &v)
{
	switch (v.type()) {
	case json::value_t::null:
		return "none";
	case json::value_t::string:
		return v.get<std::string>();
	case json::value_t::array: {
		std::string out;
		for (const auto &e : v)
			out += (out.empty() ? "" : ",") + compact_value(e);
		return "[" + out + "]";
	}
	case json::value_t::object: {
		if (v.empty())
			return "{}";
		std::string out;
		for (auto it = v.begin(); it != v.end(); ++it)
			if (!is_zero(it.value()))
				out += (out.empty() ? "" : " ") + it.key() + "=" + compact_value(it.value());
		return out.empty() ? "0" : "{" + out + "}";
	}
	default:
		return v.dump();
	}
}

MatchContext match_context_of(const SubtestResult &r)
{
	MatchContext ctx;
	if (r.evidence.is_object() && r.evidence.contains("packets_sent") && r.evidence["packets_sent"].is_number_integer())
		ctx.packets = r.evidence["packets_sent"].get<int>();
	return ctx;
}

std::string headline_of(const SubtestResult &r, const Headline &headline, const std::set<std::string> &varying)
{
	if (r.verdict == Verdict::Skipped || r.verdict == Verdict::Error)
		return shortened(r.reason.empty() ? to_string(r.verdict) : r.reason, kMaxReason);
	MatchContext ctx = match_context_of(r);
	for (const auto &rule : headline) {
		if (!mismatches(rule.when, r.observations, ctx).empty())
			continue;
		if (auto text = filled(rule.text, r.observations))
			return shortened(*text, kMaxHeadline);
	}
	return shortened(generic_headline(r, varying), kMaxHeadline);
}

} // namespace xdplab
