// A report cell in a few words: the subtest's key observation ("meta 4 B",
// "dropped: xdp_devmap_xmit -6") rather than only its verdict. Experiments
// choose the words in their expectation file ("headline", expectations.h);
// every other subtest gets "name=value" of what its expectation names.
#pragma once
#include "expectations.h"
#include "results.h"

#include <set>
#include <string>
#include <vector>

namespace xdplab {

// The {placeholders} of a headline text, in order; "{{" and "}}" are literal
// braces. std::invalid_argument for an unclosed, stray or empty one.
std::vector<std::string> headline_placeholders(const std::string &text);

// The observation a placeholder reads: "delivered.target" -> "delivered".
std::string placeholder_observation(const std::string &placeholder);

// A JSON value in a few characters: strings bare, null as "none", arrays as
// "[1,3,2]", objects as their non-zero members "{target=32}" ("0" if none is).
std::string compact_value(const json &v);

// TEXT's first line; a longer one is cut before byte MAX (never inside a
// UTF-8 sequence) and ends in "…".
std::string shortened(std::string text, size_t max);

// What `$packets` stands for in this result: the frames its bench sent, 0
// where no bench ran (procedures compare no frame counts).
MatchContext match_context_of(const SubtestResult &r);

// The headline of a result. Measured ones (confirmed, deviates): the first
// rule of HEADLINE whose `when` matches and whose placeholders all exist, else
// "name=value" of up to two observations the expectation names, those in
// VARYING (they differ between the kernels shown) first. Skipped and error
// results: their reason, shortened.
std::string headline_of(const SubtestResult &r, const Headline &headline,
			const std::set<std::string> &varying = {});

} // namespace xdplab
