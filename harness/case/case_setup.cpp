#include "case_setup.h"

#include "../../netns/netns_scope.h"
#include "../bpf_object.h"
#include "../libbpf_log.h"
#include "../subtest_context.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

namespace xdplab {

namespace {

std::string errno_name(int err)
{
	const char *n = strerrorname_np(err);
	return n ? n : std::to_string(err);
}

// The namespace a map update must be made in: a devmap resolves an ifindex in
// the caller's namespace, so the one of the link the entry names.
std::string namespace_for(const CaseLab &lab, const MapEntrySpec &e)
{
	std::string ns;
	auto look = [&](const Symbol &s) {
		if (s.fn == "ifindex" && ns.empty())
			ns = lab.net.link(s.arg).ns;
	};
	for_each_symbol(e.value, look);
	for_each_symbol(e.key, look);
	return ns;
}

} // namespace

void load_objects(CaseLab &lab)
{
	for (const auto &o : lab.spec.objects) {
		try {
			lab.objects[o.name] = std::make_unique<CaseObject>(o, lab.symbols(), lab.events, lab.ctx.ident());
			lab.evidence["load"][o.name] = {{"errno", 0}, {"error", ""}};
		} catch (const BpfLoadError &e) {
			std::string reason = verifier_reason(e.log);
			lab.evidence["load"][o.name] = {{"errno", e.err},
							{"error", errno_name(e.err)},
							{"verifier", reason},
							{"log", e.log.size() > 4000 ? "..." + e.log.substr(e.log.size() - 4000) : e.log}};
			if (!o.may_fail) // not what the case expects: an error that carries the verifier's words
				throw std::runtime_error("object " + o.name + " (" + o.file_as_written + ") did not load: " +
							 e.what());
			lab.failed_objects.insert(o.name);
		}
	}
}

void fill_maps(CaseLab &lab)
{
	lab.evidence["map_updates"] = json::array();
	for (const auto &e : lab.spec.entries) {
		auto it = lab.objects.find(e.object);
		if (it == lab.objects.end() || !it->second)
			continue; // its object did not load (expected): nothing to fill
		const CaseObject &obj = *it->second;
		bpf_map *m = obj.map(e.map);
		std::vector<uint8_t> key, value;
		try {
			key = encode_value(e.key, obj.key_type(m), lab.symbols());
			value = encode_value(e.value, obj.value_type(m), lab.symbols());
		} catch (const ValueError &err) {
			throw std::runtime_error(e.object + "/" + e.map + " entry " + e.key.dump() + ": " + err.what());
		}
		int err = 0;
		{
			NetnsScope scope(namespace_for(lab, e));
			if (bpf_map_update_elem(bpf_map__fd(m), key.data(), value.data(), BPF_ANY))
				err = errno;
		}
		lab.evidence["map_updates"].push_back({{"map", e.object + "/" + e.map},
							{"key", e.key},
							{"value", e.value},
							{"errno", err},
							{"error", err ? errno_name(err) : ""}});
		if (err && !e.may_fail)
			throw std::runtime_error("map update " + e.object + "/" + e.map + "[" + e.key.dump() +
						 "] = " + e.value.dump() + ": " + strerror(err));
	}
}

void attach_xdp_programs(CaseLab &lab)
{
	for (const auto &l : lab.spec.links) {
		if (!l.xdp)
			continue;
		const CaseLink &c = lab.net.link(l.name);
		json rec = {{"program", l.xdp->program.str()}, {"mode", to_string(l.xdp->mode)}};
		auto obj = lab.objects.find(l.xdp->program.object);
		if (obj == lab.objects.end() || !obj->second) {
			rec["errno"] = nullptr;
			rec["skipped"] = "object " + l.xdp->program.object + " did not load";
			lab.evidence["attach"][l.name] = rec;
			if (lab.network_blocked.empty())
				lab.network_blocked = "object " + l.xdp->program.object + " did not load";
			continue;
		}
		int fd = lab.program_fd(l.xdp->program);
		rec["prog_id"] = prog_id_of(fd);
		AttachFailure failure;
		auto att = XdpAttachment::try_attach(c.ns, c.dev, fd, l.xdp->mode, failure);
		rec["errno"] = att ? 0 : failure.err;
		rec["error"] = att ? "" : errno_name(failure.err);
		rec["extack"] = att ? "" : failure.message;
		rec["command"] = XdpAttachment::command(c.ns, c.dev, prog_id_of(fd), l.xdp->mode);
		lab.evidence["attach"][l.name] = rec;
		if (att) {
			lab.attachments.push_back(std::move(att));
			continue;
		}
		std::string why = "cannot attach " + l.xdp->program.str() + " to " + l.name + " (" +
				  to_string(l.xdp->mode) + "): " + strerror(failure.err) +
				  (failure.message.empty() ? "" : " (" + failure.message + ")");
		if (!l.xdp->may_fail)
			throw std::runtime_error(why);
		if (lab.network_blocked.empty())
			lab.network_blocked = why;
	}
}

// tc ingress programs: never expected to fail (a case observes what they see).
void attach_tc_programs(CaseLab &lab)
{
	for (const auto &l : lab.spec.links) {
		if (!l.tc)
			continue;
		const CaseLink &c = lab.net.link(l.name);
		json rec = {{"program", l.tc->str()}};
		auto obj = lab.objects.find(l.tc->object);
		if (obj == lab.objects.end() || !obj->second) {
			rec["errno"] = nullptr;
			rec["skipped"] = "object " + l.tc->object + " did not load";
			lab.evidence["tc_attach"][l.name] = rec;
			if (lab.network_blocked.empty())
				lab.network_blocked = "object " + l.tc->object + " did not load";
			continue;
		}
		const int fd = lab.program_fd(*l.tc);
		rec["prog_id"] = prog_id_of(fd);
		AttachFailure failure;
		auto att = TcAttachment::try_attach(c.ns, c.dev, fd, failure);
		rec["errno"] = att ? 0 : failure.err;
		lab.evidence["tc_attach"][l.name] = rec;
		if (!att)
			throw std::runtime_error("cannot attach " + l.tc->str() + " to tc ingress of " + l.name + ": " +
						 strerror(failure.err) + (failure.message.empty() ? "" : " (" + failure.message + ")"));
		lab.tc_attachments.push_back(std::move(att));
	}
}

} // namespace xdplab
