#include "case_object.h"

#include "../bpf_object.h"
#include "../event_stream.h"
#include "../libbpf_log.h"

#include <linux/types.h>
extern "C" {
#include "../../bpf/xdplab_event.h"
}

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace xdplab {

namespace {

constexpr const char *kBuiltinPrefix = "builtin:";

// Opens an object without loading it; nullptr and errno on failure.
bpf_object *open_object(const std::string &file, std::vector<uint8_t> &image, std::string &log)
{
	LibbpfLogCapture capture;
	bpf_object *obj = nullptr;
	if (file.rfind(kBuiltinPrefix, 0) == 0) {
		std::string name = file.substr(std::strlen(kBuiltinPrefix));
		auto bytes = builtin_object_bytes(name);
		if (!bytes) {
			errno = ENOENT;
			return nullptr;
		}
		image.assign(static_cast<const uint8_t *>(bytes->first),
			     static_cast<const uint8_t *>(bytes->first) + bytes->second);
		std::string object_name = name.substr(0, name.find('.'));
		LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = object_name.c_str());
		obj = bpf_object__open_mem(image.data(), image.size(), &opts);
	} else {
		obj = bpf_object__open_file(file.c_str(), nullptr);
	}
	int err = errno;
	log = capture.text();
	errno = err;
	return obj;
}

struct Variable {
	bpf_map *map;
	uint32_t offset, type_id, size;
};

// Every global variable of an object: where it lives in which internal map.
std::map<std::string, Variable> variables_of(bpf_object *obj)
{
	std::map<std::string, Variable> out;
	const btf *b = bpf_object__btf(obj);
	if (!b)
		return out;
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		if (!bpf_map__is_internal(m))
			continue;
		const btf_type *sec = btf__type_by_id(b, bpf_map__btf_value_type_id(m));
		if (!sec || !btf_is_datasec(sec))
			continue;
		const btf_var_secinfo *v = btf_var_secinfos(sec);
		for (int i = 0; i < btf_vlen(sec); ++i, ++v) {
			const btf_type *var = btf__type_by_id(b, v->type);
			if (!var || !btf_is_var(var))
				continue;
			out[btf__name_by_offset(b, var->name_off)] = {m, v->offset, var->type, v->size};
		}
	}
	return out;
}

} // namespace

std::vector<std::string> builtin_object_names()
{
	std::vector<std::string> out;
	extern const std::vector<std::pair<std::string, std::pair<const void *, size_t> (*)()>> &builtin_object_table();
	for (const auto &[name, _] : builtin_object_table())
		out.push_back(name);
	return out;
}

ObjectShape inspect_object(const std::string &file)
{
	std::vector<uint8_t> image;
	std::string log;
	bpf_object *obj = open_object(file, image, log);
	if (!obj)
		throw std::runtime_error(std::string(strerror(errno)) + (log.empty() ? "" : ": " + log));
	ObjectShape shape;
	bpf_program *p;
	bpf_object__for_each_program(p, obj) shape.programs.push_back(bpf_program__name(p));
	bpf_map *m;
	bpf_object__for_each_map(m, obj) shape.maps[bpf_map__name(m)] = bpf_map__type(m);
	for (const auto &[name, _] : variables_of(obj))
		shape.variables.insert(name);
	bpf_object__close(obj);
	return shape;
}

CaseObject::CaseObject(const ObjectSpec &spec, const SymbolValues &sym, const EventStream &events,
		       const xdplab_ident &ident)
	: name_(spec.name)
{
	LibbpfLogCapture log;
	std::string open_log;
	obj_ = open_object(spec.file, image_, open_log);
	if (!obj_)
		throw BpfLoadError(spec.name, errno ? errno : EINVAL, open_log);
	auto fail = [&](int err, const std::string &why) {
		std::string text = why + log.text();
		bpf_object__close(obj_);
		obj_ = nullptr;
		throw BpfLoadError(spec.name, err, text);
	};

	if (!spec.programs.empty()) {
		bpf_program *p;
		bpf_object__for_each_program(p, obj_)
		{
			bool wanted = false;
			for (const auto &w : spec.programs)
				wanted = wanted || w == bpf_program__name(p);
			bpf_program__set_autoload(p, wanted);
		}
	}
	for (const auto &[map_name, shape] : spec.maps) {
		bpf_map *m = bpf_object__find_map_by_name(obj_, map_name.c_str());
		if (!m)
			fail(ENOENT, "no map " + map_name + "\n");
		if (shape.value_size && bpf_map__set_value_size(m, *shape.value_size))
			fail(EINVAL, "cannot resize " + map_name + "'s values\n");
		if (shape.max_entries && bpf_map__set_max_entries(m, *shape.max_entries))
			fail(EINVAL, "cannot set " + map_name + "'s max_entries\n");
	}

	// Globals live in the internal maps' initial values (.rodata, .data,
	// .bss): each touched map's value is copied, patched and set back.
	auto vars = variables_of(obj_);
	std::map<bpf_map *, std::vector<uint8_t>> images;
	auto image_of = [&](bpf_map *m) -> std::vector<uint8_t> & {
		auto it = images.find(m);
		if (it == images.end()) {
			size_t size = 0;
			auto *data = static_cast<const uint8_t *>(bpf_map__initial_value(m, &size));
			it = images.emplace(m, data ? std::vector<uint8_t>(data, data + size) : std::vector<uint8_t>()).first;
		}
		return it->second;
	};
	auto write_var = [&](const std::string &var, const json &value) {
		auto it = vars.find(var);
		if (it == vars.end())
			fail(ENOENT, "no global variable " + var + "\n");
		auto &data = image_of(it->second.map);
		if (it->second.offset + it->second.size > data.size())
			fail(EINVAL, "cannot write global variable " + var + "\n");
		try {
			encode_into(value, {bpf_object__btf(obj_), it->second.type_id, it->second.size}, sym,
				    data.data() + it->second.offset);
		} catch (const ValueError &e) {
			fail(EINVAL, "globals." + var + ": " + e.what() + "\n");
		}
	};
	// Instrumented: the harness's tag match and ring buffer (bpf/xdplab.bpf.h).
	bpf_map *events_map = bpf_object__find_map_by_name(obj_, "events");
	instrumented_ = events_map && bpf_map__type(events_map) == BPF_MAP_TYPE_RINGBUF && vars.count("ident");
	if (instrumented_) {
		auto it = vars.find("ident");
		auto &data = image_of(it->second.map);
		if (it->second.size == sizeof(ident) && it->second.offset + sizeof(ident) <= data.size())
			std::memcpy(data.data() + it->second.offset, &ident, sizeof(ident));
		if (bpf_map__reuse_fd(events_map, events.map_fd()))
			fail(errno, "cannot share the ring buffer\n");
	}
	for (auto it = spec.globals.begin(); it != spec.globals.end(); ++it)
		write_var(it.key(), it.value());
	for (auto &[m, data] : images)
		if (!data.empty() && bpf_map__set_initial_value(m, data.data(), data.size()))
			fail(EINVAL, std::string("cannot set the initial value of ") + bpf_map__name(m) + "\n");

	if (int err = bpf_object__load(obj_))
		fail(-err, "");
}

CaseObject::~CaseObject()
{
	if (obj_)
		bpf_object__close(obj_);
}

int CaseObject::program_fd(const std::string &program) const
{
	bpf_program *p = bpf_object__find_program_by_name(obj_, program.c_str());
	int fd = p ? bpf_program__fd(p) : -1;
	if (fd < 0)
		throw std::invalid_argument("object " + name_ + " has no loaded program " + program);
	return fd;
}

unsigned CaseObject::program_id(const std::string &program) const
{
	return prog_id_of(program_fd(program));
}

std::vector<std::string> CaseObject::loaded_programs() const
{
	std::vector<std::string> out;
	bpf_program *p;
	bpf_object__for_each_program(p, obj_) if (bpf_program__fd(p) >= 0) out.push_back(bpf_program__name(p));
	return out;
}

bpf_map *CaseObject::map(const std::string &name) const
{
	bpf_map *m = bpf_object__find_map_by_name(obj_, name.c_str());
	if (!m)
		throw std::invalid_argument("object " + name_ + " has no map " + name);
	return m;
}

ValueType CaseObject::key_type(const bpf_map *m) const
{
	ValueType t{bpf_object__btf(obj_), bpf_map__btf_key_type_id(m), bpf_map__key_size(m)};
	if (!t.btf)
		t.type_id = 0;
	return t;
}

ValueType CaseObject::value_type(const bpf_map *m) const
{
	ValueType t{bpf_object__btf(obj_), bpf_map__btf_value_type_id(m), bpf_map__value_size(m)};
	if (!t.btf)
		t.type_id = 0;
	switch (bpf_map__type(m)) {
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
		t.special = ValueType::Special::DevmapValue;
		break;
	case BPF_MAP_TYPE_PROG_ARRAY:
		t.special = ValueType::Special::ProgFd;
		break;
	default:
		break;
	}
	return t;
}

json CaseObject::read_globals() const
{
	json out = json::object();
	std::map<const bpf_map *, std::vector<uint8_t>> data;
	for (const auto &[name, v] : variables_of(obj_)) {
		auto it = data.find(v.map);
		if (it == data.end()) {
			std::vector<uint8_t> buf(bpf_map__value_size(v.map));
			uint32_t key = 0;
			if (bpf_map__fd(v.map) < 0 || bpf_map_lookup_elem(bpf_map__fd(v.map), &key, buf.data()))
				buf.clear();
			it = data.emplace(v.map, std::move(buf)).first;
		}
		if (it->second.size() >= v.offset + v.size)
			out[name] = decode_value(it->second.data() + v.offset, {bpf_object__btf(obj_), v.type_id, v.size});
	}
	return out;
}

unsigned long long CaseObject::ringbuf_drops() const
{
	json g = read_globals();
	return g.contains("ringbuf_drops") && g["ringbuf_drops"].is_number() ? g["ringbuf_drops"].get<unsigned long long>()
									       : 0;
}

std::optional<std::pair<const void *, size_t>> builtin_object_bytes(const std::string &file)
{
	extern const std::vector<std::pair<std::string, std::pair<const void *, size_t> (*)()>> &builtin_object_table();
	for (const auto &[name, bytes] : builtin_object_table())
		if (name == file)
			return bytes();
	return std::nullopt;
}

} // namespace xdplab
