// A BPF ELF object a case names: any object the user built (by file), or one
// of the harness's own (built in, by file name). Opened with libbpf, given
// the case's global variables and map shapes, loaded; destroyed with the
// object. An object that includes bpf/xdplab.bpf.h ("instrumented") also gets
// the run's identity and shares the subtest's ring buffer, so its
// record_stage() events show up in the evidence.
#pragma once
#include "case_spec.h"
#include "value_codec.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_map;
struct xdplab_ident;

namespace xdplab {

class EventStream;

// What an object file holds, read without loading it (checks before any work).
struct ObjectShape {
	std::vector<std::string> programs;
	std::map<std::string, unsigned> maps;  // name -> BPF_MAP_TYPE_*
	std::set<std::string> variables;       // global variables (.data, .rodata, .bss)
};

// The bytes of a harness object by file name ("redirect_chain.bpf.o"), or nullopt.
std::optional<std::pair<const void *, size_t>> builtin_object_bytes(const std::string &file);
std::vector<std::string> builtin_object_names();

// Throws std::runtime_error with libbpf's words when the file is no BPF object.
ObjectShape inspect_object(const std::string &file);

class CaseObject {
public:
	// Opens, shapes maps, writes globals (symbols resolved by `sym`), loads.
	// `events` and `ident` are used when the object is instrumented.
	// A refused load throws BpfLoadError (bpf_object.h) with the verifier's log.
	CaseObject(const ObjectSpec &spec, const SymbolValues &sym, const EventStream &events, const xdplab_ident &ident);
	~CaseObject();
	CaseObject(const CaseObject &) = delete;
	CaseObject &operator=(const CaseObject &) = delete;

	const std::string &name() const { return name_; }
	int program_fd(const std::string &program) const; // throws for an unknown or unloaded program
	unsigned program_id(const std::string &program) const;
	std::vector<std::string> loaded_programs() const;
	bpf_map *map(const std::string &name) const;      // throws for an unknown map
	// The key and value shapes of a map (BTF types, or synthesized for
	// devmaps and program arrays declared by size).
	ValueType key_type(const bpf_map *m) const;
	ValueType value_type(const bpf_map *m) const;
	// Every global variable, decoded (read from the kernel's maps after load).
	json read_globals() const;
	bool instrumented() const { return instrumented_; }
	unsigned long long ringbuf_drops() const;

private:
	std::string name_;
	bpf_object *obj_ = nullptr;
	bool instrumented_ = false;
	std::vector<uint8_t> image_; // keeps open_mem's buffer alive
};

} // namespace xdplab
