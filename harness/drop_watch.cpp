#include "drop_watch.h"

#include "libbpf_log.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "drop_watch.skel.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <stdexcept>

namespace xdplab {

namespace {

// The kernel's own names for drop reasons, from its BTF (enum skb_drop_reason).
std::map<uint32_t, std::string> drop_reason_names()
{
	std::map<uint32_t, std::string> out;
	btf *vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return out;
	int id = btf__find_by_name_kind(vmlinux, "skb_drop_reason", BTF_KIND_ENUM);
	if (id > 0) {
		const btf_type *t = btf__type_by_id(vmlinux, static_cast<uint32_t>(id));
		const struct btf_enum *e = btf_enum(t);
		const std::string prefix = "SKB_DROP_REASON_";
		for (int i = 0; i < btf_vlen(t); ++i, ++e) {
			std::string name = btf__name_by_offset(vmlinux, e->name_off);
			if (name.rfind(prefix, 0) == 0)
				name = name.substr(prefix.size());
			out[static_cast<uint32_t>(e->val)] = name;
		}
	}
	btf__free(vmlinux);
	return out;
}

// Loads the object with only `program`; nullptr and the reason on failure.
drop_watch *load_one(const char *program, std::string &why,
		     const std::function<void(drop_watch &)> &configure = [](drop_watch &) {})
{
	LibbpfLogCapture log;
	drop_watch *s = drop_watch__open();
	if (!s) {
		why = std::string("cannot open the drop watcher: ") + strerror(errno);
		return nullptr;
	}
	bpf_program *p;
	bpf_object__for_each_program(p, s->obj) bpf_program__set_autoload(p, std::string(bpf_program__name(p)) == program);
	configure(*s);
	if (int err = drop_watch__load(s)) {
		why = std::string("cannot load ") + program + ": " + strerror(-err) + " " + verifier_reason(log.text());
		drop_watch__destroy(s);
		return nullptr;
	}
	return s;
}

} // namespace

DropWatch::DropWatch()
{
	std::string why;
	// kfree_skb got its reason argument in 5.17: the kernel refuses to attach
	// a program reading it before that, so the plain one is the fallback.
	for (const char *program : {"kfree_skb_reason", "kfree_skb_plain"}) {
		drop_watch *s = load_one(program, why);
		if (!s)
			continue;
		bpf_program *p = bpf_object__find_program_by_name(s->obj, program);
		bpf_link *link = bpf_program__attach_raw_tracepoint(p, "kfree_skb");
		if (!link) {
			why = std::string("cannot attach ") + program + ": " + strerror(errno);
			drop_watch__destroy(s);
			continue;
		}
		if (std::string(program) == "kfree_skb_reason")
			s->links.kfree_skb_reason = link;
		else
			s->links.kfree_skb_plain = link;
		skel_ = s;
		with_reason_ = std::string(program) == "kfree_skb_reason";
		break;
	}
	if (!skel_)
		throw std::runtime_error(why);
	rb_ = ring_buffer__new(bpf_map__fd(skel_->maps.drops), on_record, this, nullptr);
	if (!rb_) {
		drop_watch__destroy(skel_);
		throw std::runtime_error(std::string("cannot read the drop watcher's ring buffer: ") + strerror(errno));
	}
	if (with_reason_)
		reasons_ = drop_reason_names();
}

DropWatch::~DropWatch()
{
	ring_buffer__free(rb_);
	drop_watch__destroy(skel_);
}

int DropWatch::on_record(void *ctx, void *data, size_t size)
{
	auto *self = static_cast<DropWatch *>(ctx);
	if (size < sizeof(xdplab_drop_record))
		return 0;
	const auto *r = static_cast<const xdplab_drop_record *>(data);
	DropRecord d;
	d.kind = r->kind == XDPLAB_RECORD_VERDICT ? DropRecord::Kind::Verdict : DropRecord::Kind::KfreeSkb;
	d.ifindex = static_cast<int>(r->ifindex);
	d.value = r->reason;
	d.prog_id = r->prog_id;
	d.location = r->location;
	d.bytes.assign(r->bytes, r->bytes + std::min<size_t>(r->len, sizeof(r->bytes)));
	self->records_.push_back(std::move(d));
	return 0;
}

size_t DropWatch::cursor()
{
	std::lock_guard<std::mutex> lock(mu_);
	ring_buffer__consume(rb_);
	return records_.size();
}

std::vector<DropRecord> DropWatch::since(size_t &cursor)
{
	std::lock_guard<std::mutex> lock(mu_);
	ring_buffer__consume(rb_);
	std::vector<DropRecord> out(records_.begin() + static_cast<long>(std::min(cursor, records_.size())), records_.end());
	cursor = records_.size();
	return out;
}

std::string DropWatch::reason_name(uint32_t reason) const
{
	if (!with_reason_)
		return "";
	auto it = reasons_.find(reason);
	return it == reasons_.end() ? "reason " + std::to_string(reason) : it->second;
}

std::string DropWatch::symbol(uint64_t address)
{
	std::lock_guard<std::mutex> lock(mu_);
	if (!symbols_read_) {
		symbols_read_ = true;
		// "<hex address> <type> <name>[\t[module]]", 100k+ lines: read whole,
		// scanned by hand (line-by-line sscanf cost more than the kernel's side).
		std::ifstream in("/proc/kallsyms");
		std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
		for (size_t pos = 0; pos < text.size();) {
			size_t eol = text.find('\n', pos);
			if (eol == std::string::npos)
				eol = text.size();
			char *end = nullptr;
			unsigned long long at = strtoull(text.c_str() + pos, &end, 16);
			size_t t = static_cast<size_t>(end - text.c_str()) + 1; // the type letter
			if (at && t + 2 < eol && (text[t] == 't' || text[t] == 'T')) {
				size_t name_end = text.find_first_of(" \t", t + 2);
				symbols_[at] = text.substr(t + 2, std::min(name_end, eol) - (t + 2));
			}
			pos = eol + 1;
		}
	}
	auto it = symbols_.upper_bound(address);
	if (address == 0 || it == symbols_.begin())
		return "";
	return std::prev(it)->second;
}

unsigned long long DropWatch::lost() const
{
	return skel_->bss->lost;
}

std::unique_ptr<VerdictWatch> DropWatch::watch(int prog_fd, const std::string &function, unsigned prog_id)
{
	std::string why;
	drop_watch *s = load_one("xdp_verdict", why, [&](drop_watch &w) {
		w.rodata->watched_prog_id = prog_id;
		bpf_program__set_attach_target(w.progs.xdp_verdict, prog_fd, function.c_str());
		bpf_map__reuse_fd(w.maps.drops, bpf_map__fd(skel_->maps.drops));
	});
	if (!s)
		throw std::runtime_error(why);
	if (drop_watch__attach(s)) {
		int e = errno;
		drop_watch__destroy(s);
		throw std::runtime_error(std::string("cannot attach fexit to ") + function + ": " + strerror(e));
	}
	std::unique_ptr<VerdictWatch> w(new VerdictWatch());
	w->skel_ = s;
	return w;
}

std::optional<ParsedTag> record_tag(const DropRecord &r)
{
	if (r.kind == DropRecord::Kind::Verdict)
		return parse_tag(r.bytes.data(), r.bytes.size());
	// kfree_skb records start at the IP header: give it the Ethernet header parse_tag expects.
	std::vector<uint8_t> frame(14, 0);
	frame[12] = 0x08;
	frame.insert(frame.end(), r.bytes.begin(), r.bytes.end());
	return parse_tag(frame.data(), frame.size());
}

std::optional<EchoMessage> record_echo(const DropRecord &r)
{
	return r.kind == DropRecord::Kind::Verdict ? parse_echo_frame(r.bytes.data(), r.bytes.size())
						   : parse_echo_packet(r.bytes.data(), r.bytes.size());
}

VerdictWatch::~VerdictWatch()
{
	drop_watch__destroy(skel_);
}

} // namespace xdplab
