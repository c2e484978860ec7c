#include "jq_observations.h"

extern "C" {
#include <jq.h>
#include <jv.h>
}

#include <memory>
#include <mutex>

namespace xdplab {

const std::string &jq_prelude()
{
	// Kept small and documented in README ("Observations"); every function
	// reads the evidence document the subtest produced.
	static const std::string prelude = R"JQ(
def uniform: if length == 0 then null
  else reduce .[] as $v ([]; if any(.[]; . == $v) then . else . + [$v] end)
    | if length == 1 then .[0] else {varies: .} end end;
def stage($s): [.events[] | select(.stage == $s)];
def frames_at($s): [.events[] | select(.stage == $s) | .seq] | unique | length;
def per_frame: [.events | group_by(.seq)[]
  | {seq: .[0].seq, events: ., at: (map({key: (.stage | tostring), value: .}) | from_entries)}];
def ifindex($link): .links[$link].ifindex;
def mac($link): .links[$link].mac;
def tracepoint_count($event): [.tracepoints[] | select(.event == $event)] | length;
def drop_tracepoint: first(.tracepoints[] | select((.err // 0) != 0 or .event == "xdp_exception")
  | {event, err: (.err // 0)}) // null;
def reached: [.delivered | to_entries[] | select(.value > 0) | .key];
def hexbyte: [(. / 16 | floor), (. % 16)] | map("0123456789abcdef"[.:. + 1]) | join("");
def ip_hex($a): if ($a | test(":")) then ($a | split("::")) as $p
    | ($p[0] | if . == "" then [] else split(":") end) as $head
    | (if ($p | length) > 1 then ($p[1] | if . == "" then [] else split(":") end) else [] end) as $tail
    | $head + [range(8 - ($head | length) - ($tail | length)) | "0"] + $tail
    | map(("0000" + .)[-4:]) | join("") | ascii_downcase
  else $a | split(".") | map(tonumber | hexbyte) | join("") end;
# The low 32 bits, one bit a step: [a, b, result, bit value] (arrays of
# bits and pow() cost more than twice as much per frame).
def bitxor($a; $b): reduce range(0; 32) as $i ([$a, $b, 0, 1];
    [(.[0] / 2 | floor), (.[1] / 2 | floor), .[2] + ((.[0] % 2 + .[1] % 2) % 2) * .[3], .[3] * 2]) | .[2];
def bitand($a; $b): reduce range(0; 32) as $i ([$a, $b, 0, 1];
    [(.[0] / 2 | floor), (.[1] / 2 | floor), .[2] + (.[0] % 2) * (.[1] % 2) * .[3], .[3] * 2]) | .[2];
)JQ";
	return prelude;
}

namespace {

std::string error_text(jv msg)
{
	std::string out;
	if (jv_get_kind(msg) == JV_KIND_STRING) {
		out = jv_string_value(msg);
	} else {
		jv s = jv_dump_string(jv_copy(msg), 0);
		out = jv_string_value(s);
		jv_free(s);
	}
	jv_free(msg);
	return out;
}

void collect_error(void *data, jv msg)
{
	auto *out = static_cast<std::string *>(data);
	*out += (out->empty() ? "" : "; ") + error_text(msg);
}

// {"name": (first output of expr, or null), ...}, the set's defs in front.
std::string set_text(const ObservationSet &set)
{
	std::string text = "(" + set.definitions + "\n{";
	bool first = true;
	for (const auto &[name, expr] : set.observe) {
		text += std::string(first ? "" : ",\n") + json(name).dump() + ": ([(" + expr + "\n)] | .[0])";
		first = false;
	}
	return text + "})";
}

// One program for many sets: the input is {k: which set, d: the evidence}.
std::string program_text(const std::vector<std::string> &sets)
{
	std::string text = jq_prelude() + ".k as $k | .d | ";
	for (size_t i = 0; i < sets.size(); ++i)
		text += std::string(i ? "\nelif" : "if") + " $k == " + std::to_string(i) + " then " + sets[i];
	return text + "\nelse error(\"no such observation set\") end";
}

// Compiles; "" or libjq's messages.
std::string compile(jq_state *jq, const std::string &text)
{
	std::string errors;
	jq_set_error_cb(jq, collect_error, &errors);
	bool ok = jq_compile(jq, text.c_str());
	jq_set_error_cb(jq, nullptr, nullptr);
	return ok ? "" : (errors.empty() ? "does not compile" : errors);
}

struct JqState {
	jq_state *jq = jq_init();
	~JqState()
	{
		if (jq)
			jq_teardown(&jq);
	}
};

// Every set registered in the process, and the program compiled from them.
struct Registry {
	std::mutex mu;
	std::vector<std::string> sets;       // set_text() of each
	std::map<std::string, size_t> index; // text -> key
	std::unique_ptr<JqState> compiled;   // for the first `compiled_sets` sets
	size_t compiled_sets = 0;
	std::string compile_error;
	std::map<size_t, std::unique_ptr<JqState>> alone; // sets compiled on their own (when together failed)
};

// The document as libjq's value, built directly rather than printed as text
// and parsed again by jv_parse, which was most of what an evaluation cost.
jv to_jv(const json &j)
{
	switch (j.type()) {
	case json::value_t::null:
		return jv_null();
	case json::value_t::boolean:
		return jv_bool(j.get<bool>());
	case json::value_t::number_integer:
		return jv_number(static_cast<double>(j.get<int64_t>()));
	case json::value_t::number_unsigned:
		return jv_number(static_cast<double>(j.get<uint64_t>()));
	case json::value_t::number_float:
		return jv_number(j.get<double>());
	case json::value_t::string: {
		const std::string &s = j.get_ref<const std::string &>();
		return jv_string_sized(s.data(), static_cast<int>(s.size()));
	}
	case json::value_t::array: {
		jv a = jv_array_sized(static_cast<int>(j.size()));
		for (const auto &v : j)
			a = jv_array_append(a, to_jv(v));
		return a;
	}
	case json::value_t::object: {
		jv o = jv_object();
		for (const auto &[k, v] : j.items())
			o = jv_object_set(o, jv_string_sized(k.data(), static_cast<int>(k.size())), to_jv(v));
		return o;
	}
	default: // binary: not in an evidence document
		return jv_null();
	}
}

jv program_input(size_t k, const json &evidence)
{
	return jv_object_set(jv_object_set(jv_object(), jv_string("k"), jv_number(static_cast<double>(k))),
			     jv_string("d"), to_jv(evidence));
}

// Runs a compiled program on its input {k, d} (taken over); the output
// object, or the error in `why`.
std::optional<json> run(jq_state *jq, jv input, std::string &why)
{
	jq_start(jq, input, 0);
	jv result = jq_next(jq);
	if (jv_is_valid(result)) {
		jv s = jv_dump_string(result, 0);
		json out = json::parse(jv_string_value(s));
		jv_free(s);
		jv_free(jq_next(jq)); // the object is the only output
		return out;
	}
	why = jv_invalid_has_msg(jv_copy(result)) ? error_text(jv_invalid_get_msg(result))
						  : (jv_free(result), std::string("no output"));
	return std::nullopt;
}

Registry &registry()
{
	static Registry r;
	return r;
}

} // namespace

ObservationProgram::ObservationProgram(const ObservationSet &set) : set_(set)
{
	Registry &r = registry();
	std::string text = set_text(set);
	std::lock_guard<std::mutex> lock(r.mu);
	auto it = r.index.find(text);
	if (it == r.index.end()) {
		it = r.index.emplace(text, r.sets.size()).first;
		r.sets.push_back(text);
	}
	key_ = it->second;
}

namespace {
// Under r.mu: the registered sets compiled together, unless they already are.
void compile_locked(Registry &r, size_t needed)
{
	if (r.compiled && needed < r.compiled_sets)
		return;
	r.compiled = std::make_unique<JqState>();
	r.compiled_sets = r.sets.size();
	r.compile_error = compile(r.compiled->jq, program_text(r.sets));
}
} // namespace

void ObservationProgram::compile_registered()
{
	Registry &r = registry();
	std::lock_guard<std::mutex> lock(r.mu);
	if (!r.sets.empty())
		compile_locked(r, r.sets.size() - 1);
}

json ObservationProgram::evaluate(const json &evidence) const
{
	Registry &r = registry();
	std::string why;
	// Built before the lock: one compiled program serves every subtest, so
	// evaluations take turns, and only the jq run itself needs the turn.
	jv input = program_input(key_, evidence);
	{
		std::lock_guard<std::mutex> lock(r.mu);
		compile_locked(r, key_);
		if (r.compile_error.empty()) {
			if (auto out = run(r.compiled->jq, input, why))
				return *out;
		} else {
			jv_free(input); // some registered set spoils the whole: this one alone
			auto &alone = r.alone[key_];
			if (!alone) {
				alone = std::make_unique<JqState>();
				if (auto p = jq_check({set_}))
					throw JqError((p->observation.empty() ? "definitions" : "observation \"" + p->observation + "\"") +
						      std::string(": ") + p->message);
				compile(alone->jq, program_text({r.sets[key_]}));
			}
			if (auto out = run(alone->jq, program_input(0, evidence), why))
				return *out;
		}
	}
	// Which observation failed: each alone (only on this error path).
	for (const auto &[name, expr] : set_.observe) {
		JqState one;
		if (!compile(one.jq, program_text({set_text({{{name, expr}}, set_.definitions})})).empty())
			continue;
		jq_start(one.jq, program_input(0, evidence), 0);
		jv result = jq_next(one.jq);
		if (!jv_is_valid(result) && jv_invalid_has_msg(jv_copy(result)))
			throw JqError("observation \"" + name + "\": " + error_text(jv_invalid_get_msg(result)));
		jv_free(result);
	}
	throw JqError(why.empty() ? r.compile_error : why);
}

std::optional<JqProblem> jq_check(const std::vector<ObservationSet> &sets)
{
	if (sets.empty())
		return std::nullopt;
	std::vector<std::string> texts;
	for (const auto &s : sets)
		texts.push_back(set_text(s));
	{
		JqState all;
		if (compile(all.jq, program_text(texts)).empty())
			return std::nullopt;
	}
	for (size_t i = 0; i < sets.size(); ++i) {
		JqState defs;
		if (auto e = compile(defs.jq, jq_prelude() + "(" + sets[i].definitions + "\nnull)"); !e.empty())
			return JqProblem{i, "", e};
		for (const auto &[name, expr] : sets[i].observe) {
			JqState one;
			if (auto e = compile(one.jq, program_text({set_text({{{name, expr}}, sets[i].definitions})}));
			    !e.empty())
				return JqProblem{i, name, e};
		}
	}
	return JqProblem{0, "", "the observations do not compile together"};
}

} // namespace xdplab
