#include "case_steps.h"

#include "../../netns/address.h"
#include "../../netns/netns_scope.h"
#include "../../netns/rtnetlink.h"
#include "../../netns/command.h"
#include "../subtest_context.h"
#include "case_map_dump.h"
#include "case_tools.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace xdplab {

namespace {

std::string arg_text(const StepSpec &s, const char *key, const std::string &fallback = "")
{
	return s.args.is_object() && s.args.contains(key) ? s.args[key].get<std::string>() : fallback;
}

// "object/program", as the check made sure it is.
ProgramRef program_arg(const StepSpec &s)
{
	const std::string ref = arg_text(s, "program");
	const auto slash = ref.find('/');
	return {ref.substr(0, slash), ref.substr(slash + 1)};
}

XdpMode mode_arg(const StepSpec &s)
{
	return arg_text(s, "mode", "native") == "generic" ? XdpMode::Generic : XdpMode::Native;
}

int frame_count(const StepSpec &s, int packets)
{
	if (!s.args.contains("count") || s.args["count"] == "$packets")
		return packets;
	return s.args["count"].get<int>();
}

std::string first_ipv4(const CaseLink &l, const std::string &fallback)
{
	for (const auto &a : l.addresses)
		if (auto ip = parse_ip(a); ip && ip->family == AF_INET)
			return ip->text;
	return fallback;
}

Mac mac_arg(const CaseLab &lab, const StepSpec &s, const char *key, const std::string &fallback_link)
{
	std::string v = arg_text(s, key);
	if (v.empty())
		return parse_mac(lab.net.link(fallback_link).mac);
	if (auto sym = parse_symbol(json(v)))
		return parse_mac(lab.net.link(sym->arg).mac);
	return parse_mac(v);
}

// The frames a frames or test_run step sends, seq by seq.
FrameSpec frame_spec(const CaseLab &lab, const StepSpec &s, const std::string &from)
{
	FrameSpec f;
	f.run_id = lab.ctx.run_tag;
	f.case_id = lab.ctx.case_id;
	f.icmp = arg_text(s, "proto", "udp") == "icmp";
	if (!from.empty()) {
		const CaseLink &l = lab.net.link(from), &peer = lab.net.link(l.peer);
		f.src = mac_arg(lab, s, "src_mac", from);
		f.dst = mac_arg(lab, s, "dst_mac", l.peer);
		f.src_ip = ipv4(arg_text(s, "src", first_ipv4(l, "198.18.0.1")));
		f.dst_ip = ipv4(arg_text(s, "dst", first_ipv4(peer, "198.18.0.2")));
	} else {
		f.src_ip = ipv4(arg_text(s, "src", "198.18.0.1"));
		f.dst_ip = ipv4(arg_text(s, "dst", "198.18.0.2"));
	}
	if (s.args.contains("size")) {
		size_t minimal = build_frame(f).size();
		size_t size = s.args["size"].get<size_t>();
		f.payload_pad = size > minimal ? size - minimal : 0;
	}
	return f;
}

json frames_step(CaseLab &lab, const StepSpec &s)
{
	const std::string from = arg_text(s, "from");
	const CaseLink &l = lab.net.link(from);
	const int count = frame_count(s, lab.ctx.options.packets);
	const size_t pad_per_seq = s.args.value("pad_per_seq", 0);
	FrameSpec spec = frame_spec(lab, s, from);
	const size_t base_pad = spec.payload_pad;
	lab.start_collecting();
	FrameSender sender(l.ns, l.dev);
	json sizes = json::array();
	const uint32_t first = lab.next_seq;
	for (int i = 0; i < count; ++i) {
		lab.ctx.interruption.check();
		spec.seq = lab.next_seq;
		spec.payload_pad = base_pad + pad_per_seq * static_cast<size_t>(i);
		auto frame = build_frame(spec);
		sender.send(frame);
		if (!lab.ctx.options.pcap_dir.empty())
			lab.sent[from].push_back({frame, static_cast<uint32_t>(frame.size()), true, realtime_ns()});
		if (i < 64)
			sizes.push_back(frame.size());
		++lab.next_seq;
	}
	lab.wait_accounted();
	json out = {{"from", from}, {"count", count}, {"first_seq", first}, {"proto", spec.icmp ? "icmp" : "udp"},
		    {"src", mac_str(spec.src)}, {"dst", mac_str(spec.dst)}};
	out["sizes"] = pad_per_seq ? sizes : json(sizes.empty() ? json(nullptr) : sizes[0]);
	return out;
}

json test_run_step(CaseLab &lab, const StepSpec &s)
{
	const std::string ref = arg_text(s, "program");
	int fd = lab.program_fd(program_arg(s));
	const int count = s.args.contains("count") ? frame_count(s, lab.ctx.options.packets) : 1;
	FrameSpec spec = frame_spec(lab, s, "");
	json retvals = json::array();
	lab.start_collecting();
	// Their own sequence numbers, above the frames steps' ones: these frames
	// cross no link, their fate is the return value.
	for (int i = 0; i < count; ++i) {
		spec.seq = 0x80000000u + static_cast<uint32_t>(i);
		std::vector<uint8_t> frame = build_frame(spec);
		std::vector<uint8_t> out(frame.size() + 256);
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(), .data_out = out.data(),
			    .data_size_in = static_cast<uint32_t>(frame.size()),
			    .data_size_out = static_cast<uint32_t>(out.size()), .repeat = 1);
		if (bpf_prog_test_run_opts(fd, &opts) != 0)
			throw std::runtime_error("BPF_PROG_TEST_RUN of " + ref + ": " + strerror(errno));
		retvals.push_back(opts.retval);
	}
	lab.poll();
	return {{"program", ref}, {"count", count}, {"retval", retvals.size() == 1 ? retvals[0] : retvals}};
}

json sysctl_step(CaseLab &lab, const StepSpec &s)
{
	json written = json::object();
	for (auto it = s.args.begin(); it != s.args.end(); ++it) {
		if (it.key() == "name")
			continue;
		for (auto kv = it.value().begin(); kv != it.value().end(); ++kv) {
			std::string key = sysctl_key_for(lab.net, it.key(), kv.key());
			std::string value = kv.value().is_string() ? kv.value().get<std::string>() : kv.value().dump();
			write_sysctl_in(lab.net.namespaces.at(it.key()), key, value);
			written[it.key()][kv.key()] = value;
		}
	}
	return written;
}

// The largest MTU of link `vary` at which `program` attaches to `link` in
// `mode`, by bisection between `from` and `to`: a veth refuses native XDP
// while its peer's MTU leaves no room in a page (veth_xdp_set()), and the
// refusal is monotonic in the MTU, so bisection is sound. Every probe sets
// the MTU, attaches and detaches at once; the MTU is restored at the end.
json mtu_limit_step(CaseLab &lab, const StepSpec &s)
{
	const std::string ref = arg_text(s, "program");
	const int fd = lab.program_fd(program_arg(s));
	const CaseLink &on = lab.net.link(arg_text(s, "link"));
	const CaseLink &vary = lab.net.link(arg_text(s, "vary", on.peer));
	const XdpMode mode = mode_arg(s);
	const int original = rtnl::link_state(vary.ns, vary.ifindex).mtu;
	int probes = 0;
	auto attaches_at = [&](int mtu) {
		lab.ctx.interruption.check();
		++probes;
		rtnl::set_mtu(vary.ns, vary.ifindex, mtu);
		AttachFailure failure;
		if (auto a = XdpAttachment::try_attach(on.ns, on.dev, fd, mode, failure)) {
			if (auto problem = a->detach())
				throw std::runtime_error("mtu_limit: " + *problem);
			return json{{"errno", 0}, {"extack", ""}};
		}
		return json{{"errno", failure.err}, {"extack", failure.message}};
	};
	int lo = s.args.value("from", 68), hi = s.args.value("to", 65535);
	json out = {{"link", on.name}, {"vary", vary.name}, {"mode", to_string(mode)}, {"program", ref}};
	json at_hi = attaches_at(hi);
	if (at_hi["errno"] == 0) { // no limit in the range: the range's end, said as such
		out.update({{"max", hi}, {"refused_above", nullptr}, {"limited_by_range", true}});
	} else if (json at_lo = attaches_at(lo); at_lo["errno"] != 0) {
		out.update({{"max", nullptr}, {"refused_above", at_lo}, {"limited_by_range", false}});
	} else {
		json refused = at_hi;
		while (hi - lo > 1) { // attaches at lo, refused at hi
			const int mid = lo + (hi - lo) / 2;
			json r = attaches_at(mid);
			if (r["errno"] == 0) {
				lo = mid;
			} else {
				hi = mid;
				refused = r;
			}
		}
		out.update({{"max", lo}, {"refused_above", refused}, {"limited_by_range", false}});
	}
	rtnl::set_mtu(vary.ns, vary.ifindex, original);
	out["probes"] = probes;
	out["device_max_mtu"] = rtnl::link_state(vary.ns, vary.ifindex).max_mtu;
	return out;
}

} // namespace

json run_step(CaseLab &lab, const StepSpec &s)
{
	if (s.kind == "frames")
		return frames_step(lab, s);
	if (s.kind == "ping")
		return ping_step(lab, s);
	if (s.kind == "tcp")
		return tcp_step(lab, s);
	if (s.kind == "test_run")
		return test_run_step(lab, s);
	if (s.kind == "sysctl")
		return sysctl_step(lab, s);
	if (s.kind == "mtu_limit")
		return mtu_limit_step(lab, s);
	if (s.kind == "read") {
		std::string ref = arg_text(s, "map");
		auto slash = ref.find('/');
		return dump_map(*lab.objects.at(ref.substr(0, slash)), ref.substr(slash + 1));
	}
	throw std::logic_error("unknown step " + s.kind);
}

std::string describe_step(const CaseSpec &spec, const CaseNetwork &net, const StepSpec &s, int packets)
{
	auto link = [&](const std::string &name) { return net.link(name); };
	std::string out = "# step " + s.name + ": ";
	if (s.kind == "frames") {
		const CaseLink &l = link(arg_text(s, "from"));
		out += "send " + std::to_string(frame_count(s, packets)) + " tagged " + arg_text(s, "proto", "udp") +
		       " frames from " + l.dev + " in " + l.ns + " over AF_PACKET";
		if (s.args.contains("size"))
			out += ", " + s.args["size"].dump() + " bytes each";
		out += "; capture them at";
		for (const auto &[name, lk] : spec.receivers)
			out += " " + name + " (" + link(lk).dev + ")";
		out += "; wait until each is accounted for";
		return out;
	}
	if (s.kind == "ping") {
		const CaseLink &l = link(arg_text(s, "from"));
		std::string to = arg_text(s, "to");
		bool v6 = parse_ip(to)->family == AF_INET6;
		return out + "\n" + shell_join(netns_exec_argv(l.ns, ping_argv(to, v6, s.args.value("count", 5), 0))) +
		       "   # -e: the step's echo identifier; stopped once every request is accounted for";
	}
	if (s.kind == "tcp") {
		const CaseLink &l = link(arg_text(s, "from"));
		const CaseLink *server = net.owner_of(arg_text(s, "to"));
		return out + "# a TCP transfer of " + std::to_string(s.args.value("bytes", 1 << 20)) + " bytes from " + l.ns +
		       " to " + arg_text(s, "to") + " (a listener in " + (server ? server->ns : "?") + ")";
	}
	if (s.kind == "test_run")
		return out + "BPF_PROG_TEST_RUN " + arg_text(s, "program") + " on a tagged frame";
	if (s.kind == "sysctl") {
		std::string cmds;
		for (auto it = s.args.begin(); it != s.args.end(); ++it)
			if (it.key() != "name")
				for (auto kv = it.value().begin(); kv != it.value().end(); ++kv)
					cmds += "\nip netns exec " + net.namespaces.at(it.key()) + " sysctl -w " +
						sysctl_key_for(net, it.key(), kv.key()) + "=" +
						(kv.value().is_string() ? kv.value().get<std::string>() : kv.value().dump());
		return out + "sysctls" + cmds;
	}
	if (s.kind == "mtu_limit") {
		const CaseLink &on = link(arg_text(s, "link"));
		const CaseLink &vary = link(arg_text(s, "vary", on.peer));
		const XdpMode mode = mode_arg(s);
		return out + "the largest MTU of " + vary.dev + " (" + vary.ns + ") in [" +
		       std::to_string(s.args.value("from", 68)) + ", " + std::to_string(s.args.value("to", 65535)) +
		       "] at which " + arg_text(s, "program") + " attaches to " + on.dev + " (" + on.ns + ") in " +
		       to_string(mode) + " mode, by bisection; each probe is\nip -n " + vary.ns +
		       " link set dev " + vary.dev + " mtu N && " + XdpAttachment::command(on.ns, on.dev, 0, mode) +
		       " && ip -n " + on.ns + " link set dev " + on.dev + " xdp off";
	}
	if (s.kind == "read")
		return out + "bpftool map dump of " + arg_text(s, "map") + " (decoded into .steps." + s.name + ")";
	return out + s.kind;
}

} // namespace xdplab
