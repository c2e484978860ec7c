#include "case_map_dump.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <functional>
#include <vector>

namespace xdplab {

json dump_map(const CaseObject &obj, const std::string &name)
{
	bpf_map *m = obj.map(name);
	const int fd = bpf_map__fd(m);
	ValueType kt = obj.key_type(m), vt = obj.value_type(m);
	const bool percpu = bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY ||
			    bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_HASH ||
			    bpf_map__type(m) == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	const int cpus = percpu ? libbpf_num_possible_cpus() : 1;
	const size_t stride = percpu ? (vt.size + 7) / 8 * 8 : vt.size;
	std::vector<uint8_t> key(kt.size), next(kt.size), value(stride * static_cast<size_t>(cpus));
	json out = json::array();
	bool first = true;
	while (bpf_map_get_next_key(fd, first ? nullptr : key.data(), next.data()) == 0) {
		first = false;
		key = next;
		if (bpf_map_lookup_elem(fd, key.data(), value.data()) != 0)
			continue;
		json v = decode_value(value.data(), vt);
		// Per-CPU values are summed over the CPUs, member by member.
		for (int c = 1; c < cpus; ++c) {
			json other = decode_value(value.data() + stride * static_cast<size_t>(c), vt);
			std::function<void(json &, const json &)> add = [&](json &a, const json &b) {
				if (a.is_number_unsigned() && b.is_number_unsigned())
					a = a.get<uint64_t>() + b.get<uint64_t>();
				else if (a.is_number_integer() && b.is_number_integer())
					a = a.get<int64_t>() + b.get<int64_t>();
				else if (a.is_object() && b.is_object())
					for (auto it = a.begin(); it != a.end(); ++it)
						if (b.contains(it.key()))
							add(it.value(), b[it.key()]);
			};
			add(v, other);
		}
		out.push_back({{"key", decode_value(key.data(), kt)}, {"value", v}});
	}
	return out;
}

} // namespace xdplab
