// A case body's objects (files, globals, map shapes, programs) and the map
// entries the run fills in before attaching: every name must be in the object
// file, so the file is opened here, once per case file.
#include "case_checker.h"

#include <algorithm>
#include <filesystem>
#include <regex>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

const std::regex kObjectName("^[A-Za-z_][A-Za-z0-9_.-]*$");

} // namespace

const ObjectShape &ObjectCatalog::shape(const std::string &file)
{
	auto it = shapes_.find(file);
	if (it == shapes_.end())
		it = shapes_.emplace(file, inspect_object(file)).first;
	return it->second;
}

std::string CaseChecker::resolve_file(const std::string &p, const std::string &file) const
{
	fs::path beside = fs::path(ctx.dir) / file;
	if (fs::is_regular_file(beside))
		return fs::canonical(beside).string();
	if (fs::path(file).filename() == file && builtin_object_bytes(file))
		return "builtin:" + file;
	fail(p, "no such object file: " + beside.string() +
			(fs::path(file).filename() == file ? " (nor one of the harness's own)" : ""));
}

void CaseChecker::object_section()
{
	if (!has("/objects"))
		return;
	const json &os = at("/objects");
	if (!os.is_object())
		fail("/objects", "objects: a mapping of object name to {file, globals, maps, programs}");
	for (auto it = os.begin(); it != os.end(); ++it) {
		std::string p = "/objects/" + pointer_token(it.key());
		if (!std::regex_match(it.key(), kObjectName) || it.key().find('/') != std::string::npos)
			fail(p, "an object name is letters, digits and _");
		keys(p, {"file", "globals", "maps", "programs", "may_fail"});
		ObjectSpec o;
		o.name = it.key();
		if (!has(p + "/file"))
			fail(p, "missing \"file\": the BPF ELF object (a path beside the case file)");
		o.file_as_written = text(p + "/file");
		o.file = resolve_file(p + "/file", o.file_as_written);
		try {
			shapes[o.name] = objects.shape(o.file);
		} catch (const std::exception &e) {
			fail(p + "/file", "cannot read " + o.file_as_written + " as a BPF object: " + e.what());
		}
		const ObjectShape &shape = shapes[o.name];
		if (has(p + "/globals")) {
			o.globals = at(p + "/globals");
			if (!o.globals.is_object())
				fail(p + "/globals", "globals: a mapping of global variable name to value");
			for (auto g = o.globals.begin(); g != o.globals.end(); ++g)
				if (!shape.variables.count(g.key()))
					fail(p + "/globals/" + pointer_token(g.key()),
					     "object " + o.name + " has no global variable \"" + g.key() + "\"" +
						     (shape.variables.empty() ? " (is it built with -g, so that it has BTF?)" : ""));
		}
		if (has(p + "/maps")) {
			const json &ms = at(p + "/maps");
			if (!ms.is_object())
				fail(p + "/maps", "maps: a mapping of map name to {value_size, max_entries}");
			for (auto m = ms.begin(); m != ms.end(); ++m) {
				std::string mp = p + "/maps/" + pointer_token(m.key());
				if (!shape.maps.count(m.key()))
					fail(mp, "object " + o.name + " has no map \"" + m.key() + "\"");
				keys(mp, {"value_size", "max_entries"});
				MapShape s;
				if (has(mp + "/value_size"))
					s.value_size = static_cast<uint32_t>(integer(mp + "/value_size", 1, 1 << 20));
				if (has(mp + "/max_entries"))
					s.max_entries = static_cast<uint32_t>(integer(mp + "/max_entries", 1, 1 << 24));
				o.maps[m.key()] = s;
			}
		}
		if (has(p + "/programs"))
			for (size_t i = 0; const auto &name : texts(p + "/programs")) {
				if (std::find(shape.programs.begin(), shape.programs.end(), name) == shape.programs.end())
					fail(p + "/programs" + (at(p + "/programs").is_array() ? "/" + std::to_string(i) : ""),
					     "object " + o.name + " has no program \"" + name + "\"");
				o.programs.push_back(name);
				++i;
			}
		if (has(p + "/may_fail"))
			o.may_fail = flag(p + "/may_fail");
		spec.objects.push_back(o);
	}
}

// Read after links: a key, a value or a global may name a link (ifindex(out)),
// and the link must be one of the case's.
void CaseChecker::entries()
{
	if (!has("/entries"))
		return;
	const json &es = at("/entries");
	if (!es.is_object())
		fail("/entries", "entries: a mapping of object/map to a list of {key, value}");
	for (auto it = es.begin(); it != es.end(); ++it) {
		std::string p = "/entries/" + pointer_token(it.key());
		auto [obj, map] = map_ref(p, it.key());
		if (!it.value().is_array())
			fail(p, "a map's entries are a list of {key, value}");
		for (size_t i = 0; i < it.value().size(); ++i) {
			std::string ep = p + "/" + std::to_string(i);
			keys(ep, {"key", "value", "may_fail"});
			if (!has(ep + "/key") || !has(ep + "/value"))
				fail(ep, "an entry needs key and value");
			MapEntrySpec e{obj, map, at(ep + "/key"), at(ep + "/value"), false, ep};
			if (has(ep + "/may_fail"))
				e.may_fail = flag(ep + "/may_fail");
			symbols(ep + "/key", e.key);
			symbols(ep + "/value", e.value);
			spec.entries.push_back(e);
		}
	}
	for (const auto &o : spec.objects)
		symbols("/objects/" + pointer_token(o.name) + "/globals", o.globals);
}

} // namespace xdplab
