#include "commit_registry.h"
#include "../file_text.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

namespace xdplab {

namespace {

std::string scalar(const YAML::Node &n, const char *key, const std::string &where, bool required)
{
	if (!n[key]) {
		if (required)
			throw RegistryError(where + ": needs \"" + key + "\"");
		return "";
	}
	if (!n[key].IsScalar())
		throw RegistryError(where + ": \"" + key + "\" must be a string");
	return n[key].as<std::string>();
}

bool hex_id_prefix(const std::string &a, const std::string &b)
{
	size_t n = std::min(a.size(), b.size());
	return n >= 12 && a.compare(0, n, b, 0, n) == 0;
}

} // namespace

const KnownCommit *CommitRegistry::find(const std::string &id) const
{
	for (const auto &c : commits) {
		if (hex_id_prefix(c.id, id))
			return &c;
		for (const auto &[_, b] : c.stable)
			if (!b.id.empty() && hex_id_prefix(b.id, id))
				return &c;
	}
	return nullptr;
}

CommitRegistry parse_commit_registry(const std::string &yaml_text, const std::string &path)
{
	CommitRegistry r;
	r.path = path;
	YAML::Node doc;
	try {
		doc = YAML::Load(yaml_text);
	} catch (const YAML::Exception &e) {
		throw RegistryError(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
				    ": " + e.msg);
	}
	if (!doc["commits"] || !doc["commits"].IsSequence())
		throw RegistryError(path + ": needs a list \"commits\"");
	for (const auto &n : doc["commits"]) {
		std::string where = path + ":" + std::to_string(n.Mark().line + 1);
		KnownCommit c;
		c.id = scalar(n, "id", where, true);
		c.subject = scalar(n, "subject", where, true);
		c.mainline = scalar(n, "mainline", where, true);
		c.evidence = scalar(n, "evidence", where, true);
		c.note = scalar(n, "note", where, false);
		// x.y only: it is compared with series and mainline edges as a version.
		auto dot = c.mainline.find('.');
		if (dot == std::string::npos || dot == 0 || dot + 1 == c.mainline.size() ||
		    c.mainline.find_first_not_of("0123456789.") != std::string::npos ||
		    c.mainline.find('.', dot + 1) != std::string::npos)
			throw RegistryError(where + ": mainline \"" + c.mainline + "\" is not a release x.y");
		if (n["stable"] && !n["stable"].IsMap())
			throw RegistryError(where + ": \"stable\" must map a series (6.1) to its backport");
		if (n["stable"])
			for (const auto &s : n["stable"]) {
				std::string w = where + ": stable " + s.first.as<std::string>();
				c.stable[s.first.as<std::string>()] = {scalar(s.second, "release", w, true),
								       scalar(s.second, "id", w, false),
								       scalar(s.second, "evidence", w, true)};
			}
		if (commit_ids_in(c.id) != std::set<std::string>{c.id})
			throw RegistryError(where + ": \"" + c.id + "\" is not a commit id");
		if (r.find(c.id))
			throw RegistryError(where + ": " + c.id + " is listed twice");
		r.commits.push_back(std::move(c));
	}
	return r;
}

CommitRegistry load_commit_registry(const std::string &path)
{
	return parse_commit_registry(read_file(path), path);
}

std::set<std::string> commit_ids_in(const std::string &text)
{
	std::set<std::string> out;
	size_t i = 0;
	while (i < text.size()) {
		if (!isxdigit(static_cast<unsigned char>(text[i])) || (i > 0 && isalnum(static_cast<unsigned char>(text[i - 1])))) {
			++i;
			continue;
		}
		size_t j = i;
		bool letter = false, digit = false, upper = false;
		while (j < text.size() && isxdigit(static_cast<unsigned char>(text[j]))) {
			letter |= isalpha(static_cast<unsigned char>(text[j]));
			upper |= isupper(static_cast<unsigned char>(text[j]));
			digit |= isdigit(static_cast<unsigned char>(text[j]));
			++j;
		}
		bool word_ends = j == text.size() || !isalnum(static_cast<unsigned char>(text[j]));
		// A kernel address in a quoted log line (ffff94464cacb100) is not a commit.
		bool address = j - i == 16 && text.compare(i, 4, "ffff") == 0;
		if (word_ends && j - i >= 12 && j - i <= 40 && letter && digit && !upper && !address)
			out.insert(text.substr(i, j - i));
		i = j;
	}
	return out;
}

} // namespace xdplab
