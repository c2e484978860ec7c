// A case file read as JSON that still knows where every value came from:
// YAML (yaml-cpp) turned into nlohmann::json, with the file, line and column
// of each value kept under its JSON pointer. Every later check (the case's
// own, the expectation parser's) names a pointer; locate() turns it back into
// "file:line:column", so a user is shown the line they wrote even after
// `include:` and a subtest's `with:` have been merged in.
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

using json = nlohmann::json;

// A case file that cannot be used: "file:line:column: what is wrong".
class CaseError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

struct SourcePosition {
	std::string file;
	int line = 0, column = 0; // 1-based
	std::string str() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

class LocatedDoc {
public:
	json doc = json::object();
	std::string path; // the file the document was read from

	// "file:line:column" of the value at `pointer`, or of its nearest
	// ancestor that has one (a key the file does not spell out).
	std::string locate(const std::string &pointer) const;
	[[noreturn]] void fail(const std::string &pointer, const std::string &what) const;

	// The document with `over` deep-merged at `at` ("" for the root): objects
	// merge key by key, null deletes a key, anything else replaces. Positions
	// follow the values.
	void merge(const LocatedDoc &over, const std::string &at = "");
	// The subtree at `pointer` as a document of its own, positions re-rooted.
	LocatedDoc subtree(const std::string &pointer) const;
	void erase(const std::string &pointer);

	// The same for a complaint about the key itself (an unknown key): where
	// the key is written.
	[[noreturn]] void fail_key(const std::string &pointer, const std::string &what) const;

	void set_position(const std::string &pointer, SourcePosition p) { positions_[pointer] = std::move(p); }
	void set_key_position(const std::string &pointer, SourcePosition p) { key_positions_[pointer] = std::move(p); }
	// The keys of the object at `pointer` in the order the file wrote them
	// (json objects sort their keys; subtests run in the order written).
	std::vector<std::string> keys_in_order(const std::string &pointer) const;
	void note_key(const std::string &pointer, const std::string &key);

private:
	std::map<std::string, SourcePosition> positions_, key_positions_;
	std::map<std::string, std::vector<std::string>> order_;
};

// Reads a YAML file (comments allowed; JSON is YAML too). Plain scalars are
// typed as YAML 1.2's core schema says, except that a dotted number such as
// 5.10 stays text: kernel versions must not become 5.1. Quoted scalars are
// always text. Throws CaseError with the position of a syntax error.
LocatedDoc read_yaml_file(const std::string &path);
LocatedDoc parse_yaml(const std::string &text, const std::string &path);

// "a/b" -> "a~1b": one key as a JSON pointer token.
std::string pointer_token(const std::string &key);

} // namespace xdplab
