#include "lab.h"

#include "../bpf_object.h"
#include "../case/case_object.h"
#include "../event_stream.h"
#include "../libbpf_log.h"
#include "../observe.h"
#include "../frame.h"
#include "../subtest_context.h"
#include "../../netns/naming.h"

#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <cstring>
#include <filesystem>

namespace xdplab {

namespace {

// A file name as the case files name objects: the harness's own, or a path.
ObjectSpec object_spec(const std::string &file, const std::vector<std::string> &programs, const json &globals)
{
	ObjectSpec s;
	s.name = std::filesystem::path(file).stem().stem().string();
	s.file_as_written = file;
	s.file = builtin_object_bytes(file) ? "builtin:" + file : file;
	s.programs = programs;
	s.globals = globals;
	return s;
}

std::string listed(const std::vector<std::string> &programs)
{
	std::string out;
	for (const auto &p : programs)
		out += (out.empty() ? " (only " : ", ") + p;
	return out.empty() ? out : out + ")";
}

} // namespace

int LabObject::fd(const std::string &program) const
{
	return obj_ ? obj_->program_fd(program) : -1;
}

unsigned LabObject::id(const std::string &program) const
{
	return obj_ ? obj_->program_id(program) : 0;
}

int LabObject::map_fd(const std::string &map) const
{
	return obj_ ? bpf_map__fd(obj_->map(map)) : -1;
}

unsigned LabObject::map_id(const std::string &map) const
{
	return obj_ ? map_id_of(map_fd(map)) : 0;
}

Lab::Lab(SubtestContext &ctx, std::string subtest, bool explaining, std::ostream *explain)
	: ctx_(ctx), subtest_(std::move(subtest)), explain_(explaining ? explain : nullptr)
{
}

Lab::~Lab()
{
	unload_all();
	for (int fd : fds_)
		close(fd);
	if (!pin_dir_.empty()) {
		std::error_code ec;
		std::filesystem::remove_all(pin_dir_, ec);
		rmdir(pin_run_dir_.c_str()); // ENOTEMPTY while another subtest of the run pins
	}
}

std::string Lab::pin(const std::string &name)
{
	if (pin_dir_.empty()) {
		char run[16];
		snprintf(run, sizeof(run), "%06x", ctx_.run_tag);
		pin_run_dir_ = pin_root() + "/" + pin_dir_name(run);
		pin_dir_ = pin_run_dir_ + "/" + std::to_string(ctx_.case_id);
		if (!explaining()) {
			if (mkdir(pin_run_dir_.c_str(), 0700) != 0 && errno != EEXIST)
				throw std::runtime_error("mkdir " + pin_run_dir_ + ": " + strerror(errno));
			if (mkdir(pin_dir_.c_str(), 0700) != 0)
				throw std::runtime_error("mkdir " + pin_dir_ + ": " + strerror(errno));
		}
	}
	return pin_dir_ + "/" + name;
}

std::vector<uint8_t> Lab::tagged_frame() const
{
	return build_frame(tagged_frame_spec(ctx_.run_tag, ctx_.case_id));
}

bool Lab::has(const std::string &capability) const
{
	auto it = ctx_.caps.find(capability);
	return explaining() || (it != ctx_.caps.end() && it->second);
}

int Lab::ifindex(const std::string &link) const
{
	auto it = net_.links.find(link);
	if (it == net_.links.end())
		throw std::invalid_argument("the lab network has no link " + link + " (ProcedurePlan::network)");
	return it->second.second;
}

std::string Lab::netns() const
{
	return net_.ns;
}

std::string Lab::link(const std::string &name) const
{
	auto it = net_.links.find(name);
	if (it == net_.links.end())
		throw std::invalid_argument("the lab network has no link " + name);
	return it->second.first;
}

json Lab::step(const std::string &what, const std::function<int()> &op)
{
	if (explaining()) {
		*explain_ << "# " << what << "\n";
		return 0;
	}
	ctx_.interruption.check();
	json result = errno_of(op());
	record({{"step", what}, {"result", result}});
	return result;
}

void Lab::record(json step)
{
	m_.evidence["steps"].push_back(std::move(step));
}

void Lab::must(const std::string &what, const std::function<int()> &op)
{
	json r = step(what, op);
	if (r != json(0))
		throw std::runtime_error(what + ": " + r.dump());
}

int Lab::create(const std::string &what, const std::function<int()> &op)
{
	if (explaining()) {
		*explain_ << "# " << what << "\n";
		return -1;
	}
	int fd = op();
	if (fd >= 0)
		fds_.push_back(fd);
	record({{"create", what}, {"result", fd >= 0 ? json("fd") : errno_of(fd)}});
	return fd;
}

CommandResult Lab::tool(const std::vector<std::string> &argv)
{
	std::vector<std::string> resolved = argv;
	// By name, as a reader would write it; PATH for root on a fresh Debian
	// may lack /usr/sbin.
	if (!resolved.empty() && resolved[0].find('/') == std::string::npos) {
		std::string path = resolved[0] == "bpftool" ? bpftool_path() : find_tool(resolved[0]);
		if (!path.empty())
			resolved[0] = path;
	}
	if (explaining()) {
		*explain_ << shell_join(net_.ns.empty() ? resolved : netns_exec_argv(net_.ns, resolved)) << "\n";
		return {0, ""};
	}
	CommandResult r = net_.ns.empty() ? run_command(resolved) : run_command_in(net_.ns, resolved);
	record({{"tool", shell_join(argv)}, {"exit", r.exit_code}});
	return r;
}

AttachFailure Lab::try_attach(const std::string &name, int prog_fd, XdpMode mode)
{
	if (explaining()) {
		*explain_ << XdpAttachment::command(net_.ns, link(name), 0, mode) << "   # then detached\n";
		return {};
	}
	AttachFailure failure;
	auto attached = XdpAttachment::try_attach(net_.ns, link(name), prog_fd, mode, failure);
	if (attached)
		if (auto problem = attached->detach())
			throw std::runtime_error(*problem);
	record({{"attach", link(name) + " " + to_string(mode)},
		{"result", attached ? json(0) : errno_of(-failure.err)},
		{"extack", failure.message}});
	return failure;
}

const LabObject &Lab::load(const std::string &file, const std::vector<std::string> &programs, const json &globals)
{
	if (explaining()) {
		*explain_ << "# load " << file << listed(programs) << (globals.empty() ? "" : " with globals " + globals.dump())
			  << "\n";
		handles_.push_back(std::make_unique<LabObject>(nullptr));
		return *handles_.back();
	}
	if (!events_)
		events_ = std::make_unique<EventStream>();
	objects_.push_back(std::make_unique<CaseObject>(object_spec(file, programs, globals), SymbolValues{}, *events_,
							ctx_.ident()));
	handles_.push_back(std::make_unique<LabObject>(objects_.back().get()));
	json ids = json::object();
	for (const auto &p : objects_.back()->loaded_programs())
		ids[p] = objects_.back()->program_id(p);
	record({{"load", file}, {"program_ids", ids}});
	return *handles_.back();
}

LoadOutcome Lab::try_load(const std::string &file, const std::vector<std::string> &programs)
{
	if (explaining()) {
		*explain_ << "# load " << file << listed(programs) << ": the kernel's errno and the verifier's reason\n";
		return {};
	}
	try {
		LibbpfLogCapture quiet;
		if (!events_)
			events_ = std::make_unique<EventStream>();
		CaseObject obj(object_spec(file, programs, json::object()), SymbolValues{}, *events_, ctx_.ident());
		record({{"load", file + listed(programs)}, {"result", 0}});
		return {};
	} catch (const BpfLoadError &e) {
		record({{"load", file + listed(programs)}, {"result", errno_of(-e.err)}, {"verifier", verifier_reason(e.log)}});
		return {e.err, verifier_reason(e.log), e.log};
	}
}

void Lab::unload_all()
{
	handles_.clear();
	objects_.clear();
}

void Lab::observe(const std::string &name, json value)
{
	m_.observations[name] = std::move(value);
}

void Lab::note(const std::string &name, json value)
{
	m_.evidence[name] = std::move(value);
}

} // namespace xdplab
