#include "located_doc.h"

#include "../file_text.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>

namespace xdplab {

std::string pointer_token(const std::string &key)
{
	std::string out;
	for (char c : key) {
		if (c == '~')
			out += "~0";
		else if (c == '/')
			out += "~1";
		else
			out += c;
	}
	return out;
}

std::string LocatedDoc::locate(const std::string &pointer) const
{
	std::string p = pointer;
	for (;;) {
		auto it = positions_.find(p);
		if (it != positions_.end())
			return it->second.str();
		if (p.empty())
			return path;
		p = p.substr(0, p.rfind('/'));
	}
}

std::vector<std::string> LocatedDoc::keys_in_order(const std::string &pointer) const
{
	std::vector<std::string> out;
	const json *v = pointer.empty() ? &doc
			: doc.contains(json::json_pointer(pointer)) ? &doc.at(json::json_pointer(pointer)) : nullptr;
	if (!v || !v->is_object())
		return out;
	if (auto it = order_.find(pointer); it != order_.end())
		for (const auto &k : it->second)
			if (v->contains(k) && std::find(out.begin(), out.end(), k) == out.end())
				out.push_back(k);
	for (auto it = v->begin(); it != v->end(); ++it)
		if (std::find(out.begin(), out.end(), it.key()) == out.end())
			out.push_back(it.key());
	return out;
}

void LocatedDoc::note_key(const std::string &pointer, const std::string &key)
{
	auto &keys = order_[pointer];
	if (std::find(keys.begin(), keys.end(), key) == keys.end())
		keys.push_back(key);
}

void LocatedDoc::fail(const std::string &pointer, const std::string &what) const
{
	throw CaseError(locate(pointer) + ": " + what);
}

void LocatedDoc::fail_key(const std::string &pointer, const std::string &what) const
{
	auto it = key_positions_.find(pointer);
	throw CaseError((it != key_positions_.end() ? it->second.str() : locate(pointer)) + ": " + what);
}

namespace {

bool under(const std::string &pointer, const std::string &root)
{
	return pointer == root || (pointer.size() > root.size() && pointer.compare(0, root.size(), root) == 0 &&
				   pointer[root.size()] == '/');
}

json *at_pointer(json &doc, const std::string &pointer)
{
	if (pointer.empty())
		return &doc;
	json::json_pointer p(pointer);
	return doc.contains(p) ? &doc[p] : nullptr;
}

} // namespace

void LocatedDoc::erase(const std::string &pointer)
{
	for (auto *m : {&positions_, &key_positions_})
		for (auto it = m->begin(); it != m->end();)
			it = under(it->first, pointer) && !pointer.empty() ? m->erase(it) : std::next(it);
	if (pointer.empty()) {
		doc = json::object();
		return;
	}
	auto slash = pointer.rfind('/');
	json *parent = at_pointer(doc, pointer.substr(0, slash));
	if (parent && parent->is_object())
		parent->erase(json::json_pointer("/" + pointer.substr(slash + 1)).back());
}

void LocatedDoc::merge(const LocatedDoc &over, const std::string &at)
{
	// Walks `over` alongside the target; positions of replaced subtrees go.
	std::function<void(const json &, const std::string &, const std::string &)> walk =
		[&](const json &value, const std::string &from, const std::string &to) {
			json *target = at_pointer(doc, to);
			if (value.is_object() && target && target->is_object()) {
				if (auto p = over.positions_.find(from); p != over.positions_.end())
					positions_[to] = p->second;
				for (const auto &key : over.keys_in_order(from))
					note_key(to, key);
				for (auto it = value.begin(); it != value.end(); ++it) {
					std::string tok = "/" + pointer_token(it.key());
					if (it.value().is_null()) {
						erase(to + tok);
						continue;
					}
					walk(it.value(), from + tok, to + tok);
				}
				return;
			}
			for (auto *m : {&positions_, &key_positions_})
				for (auto it = m->begin(); it != m->end();)
					it = under(it->first, to) ? m->erase(it) : std::next(it);
			doc[json::json_pointer(to)] = value;
			for (const auto &[p, pos] : over.positions_)
				if (under(p, from))
					positions_[to + p.substr(from.size())] = pos;
			for (const auto &[p, pos] : over.key_positions_)
				if (under(p, from))
					key_positions_[to + p.substr(from.size())] = pos;
			for (const auto &[p, keys] : over.order_)
				if (under(p, from))
					order_[to + p.substr(from.size())] = keys;
		};
	walk(over.doc, "", at);
}

LocatedDoc LocatedDoc::subtree(const std::string &pointer) const
{
	LocatedDoc out;
	out.path = path;
	const json *v = pointer.empty() ? &doc : (doc.contains(json::json_pointer(pointer)) ? &doc.at(json::json_pointer(pointer)) : nullptr);
	out.doc = v ? *v : json::object();
	for (const auto &[p, pos] : positions_)
		if (under(p, pointer))
			out.positions_[p.substr(pointer.size())] = pos;
	for (const auto &[p, pos] : key_positions_)
		if (under(p, pointer) && p != pointer)
			out.key_positions_[p.substr(pointer.size())] = pos;
	for (const auto &[p, keys] : order_)
		if (under(p, pointer))
			out.order_[p.substr(pointer.size())] = keys;
	return out;
}

namespace {

SourcePosition position_of(const YAML::Mark &m, const std::string &path)
{
	return {path, m.line + 1, m.column + 1};
}

json scalar(const YAML::Node &n)
{
	const std::string &s = n.Scalar();
	if (n.Tag() == "!") // quoted: text, whatever it looks like
		return s;
	static const std::regex null_re("^(~|null|Null|NULL|)$"), true_re("^(true|True|TRUE)$"),
		false_re("^(false|False|FALSE)$"), dec_re("^[-+]?[0-9]+$"), hex_re("^0x[0-9a-fA-F]+$"),
		oct_re("^0o[0-7]+$");
	if (std::regex_match(s, null_re))
		return nullptr;
	if (std::regex_match(s, true_re))
		return true;
	if (std::regex_match(s, false_re))
		return false;
	try {
		if (std::regex_match(s, dec_re))
			return s[0] == '-' ? json(std::stoll(s)) : json(std::stoull(s[0] == '+' ? s.substr(1) : s));
		if (std::regex_match(s, hex_re))
			return std::stoull(s.substr(2), nullptr, 16);
		if (std::regex_match(s, oct_re))
			return std::stoull(s.substr(2), nullptr, 8);
	} catch (const std::out_of_range &) {
		return s; // beyond 64 bits: leave it as written
	}
	return s;
}

void convert(const YAML::Node &n, const std::string &pointer, LocatedDoc &out, json &into)
{
	out.set_position(pointer, position_of(n.Mark(), out.path));
	switch (n.Type()) {
	case YAML::NodeType::Null:
	case YAML::NodeType::Undefined:
		into = nullptr;
		break;
	case YAML::NodeType::Scalar:
		into = scalar(n);
		break;
	case YAML::NodeType::Sequence:
		into = json::array();
		for (size_t i = 0; i < n.size(); ++i) {
			into.push_back(nullptr);
			convert(n[i], pointer + "/" + std::to_string(i), out, into.back());
		}
		break;
	case YAML::NodeType::Map:
		into = json::object();
		for (auto it = n.begin(); it != n.end(); ++it) {
			if (!it->first.IsScalar())
				out.fail(pointer, "a key must be a plain name");
			std::string key = it->first.Scalar();
			std::string child = pointer + "/" + pointer_token(key);
			if (into.contains(key))
				throw CaseError(position_of(it->first.Mark(), out.path).str() + ": \"" + key +
						"\" is given twice");
			out.note_key(pointer, key);
			out.set_key_position(child, position_of(it->first.Mark(), out.path));
			convert(it->second, child, out, into[key]);
		}
		break;
	}
}

} // namespace

LocatedDoc parse_yaml(const std::string &text, const std::string &path)
{
	LocatedDoc out;
	out.path = path;
	YAML::Node root;
	try {
		root = YAML::Load(text);
	} catch (const YAML::Exception &e) {
		throw CaseError(position_of(e.mark, path).str() + ": YAML syntax error: " + e.msg);
	}
	convert(root, "", out, out.doc);
	return out;
}

LocatedDoc read_yaml_file(const std::string &path)
{
	std::error_code ec;
	if (!std::filesystem::is_regular_file(path, ec))
		throw CaseError(path + ": no such case file");
	return parse_yaml(read_file(path), path);
}

} // namespace xdplab
