#include "kcidb.h"

#include <cctype>
#include <filesystem>
#include <map>

namespace xdplab {

namespace fs = std::filesystem;

namespace {

constexpr const char *kOrigin = "xdplab";

// KCIDB's path components: letters, digits, '_' and '-'.
std::string path_component(const std::string &s)
{
	std::string out;
	for (unsigned char c : s)
		out += std::isalnum(c) || c == '_' || c == '-' ? static_cast<char>(c) : '_';
	return out.empty() ? "_" : out;
}

// RFC 3986: what is not unreserved or a path separator is percent-encoded.
std::string uri_path(const std::string &s)
{
	static const char *hex = "0123456789ABCDEF";
	std::string out;
	for (unsigned char c : s) {
		if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
			out += static_cast<char>(c);
		else
			out += std::string("%") + hex[c >> 4] + hex[c & 15];
	}
	return out;
}

std::string url_of(const std::string &path, const KcidbOptions &o)
{
	std::error_code ec;
	fs::path abs = fs::absolute(path, ec).lexically_normal();
	if (!o.artifacts_url.empty()) {
		fs::path rel = abs.lexically_relative(fs::absolute(o.base_dir, ec).lexically_normal());
		if (!rel.empty() && *rel.begin() != "..") {
			std::string base = o.artifacts_url;
			while (!base.empty() && base.back() == '/')
				base.pop_back();
			return base + "/" + uri_path(rel.string());
		}
	}
	return "file://" + uri_path(abs.string());
}

nlohmann::json resource(const std::string &name, const std::string &path, const KcidbOptions &o)
{
	return {{"name", name}, {"url", url_of(path, o)}};
}

// What the kernel is, as KCIDB names a checkout and a build: the Debian
// package and version when a matrix booted one, else the host's release.
struct KernelSource {
	std::string key;     // unique within the export
	std::string comment; // for people
	nlohmann::json misc;
};

KernelSource source_of(const RunResults &r)
{
	const nlohmann::json &runner = r.runner.is_object() ? r.runner : nlohmann::json::object();
	std::string package = runner.value("package", ""), version = runner.value("version", "");
	KernelSource s;
	s.misc = {{"kernel_release", r.kernel.release}, {"kernel_version", r.kernel.version.str()},
		  {"ran_on", runner.value("kind", "host")}};
	if (!package.empty()) {
		s.key = package + (version.empty() ? "" : "_" + version);
		s.comment = "Debian " + package + (version.empty() ? "" : " " + version);
		s.misc["debian_package"] = package;
		if (!version.empty())
			s.misc["debian_version"] = version;
	} else if (!runner.value("image", "").empty()) {
		s.key = "image_" + r.kernel.release;
		s.comment = "kernel image " + runner.value("image", "");
	} else {
		s.key = "host_" + r.kernel.release;
		s.comment = "the running kernel " + r.kernel.release;
	}
	for (const char *k : {"accel", "image", "vcpus", "wall_ms"})
		if (runner.contains(k))
			s.misc[k] = runner[k];
	return s;
}

nlohmann::json test_of(const SubtestResult &e, const std::string &build_id, const RunResults &r,
		       const std::string &environment, const KcidbOptions &o)
{
	nlohmann::json misc = {{"verdict", to_string(e.verdict)}, {"observations", e.observations},
			       {"expected", e.expected}};
	if (!e.reason.empty())
		misc["reason"] = e.reason;
	if (!e.basis.empty())
		misc["basis"] = e.basis;
	if (e.seed_claim_holds)
		misc["seed_claim_holds"] = *e.seed_claim_holds;
	nlohmann::json t = {{"id", build_id + ":" + e.id + "/" + e.subtest},
			    {"build_id", build_id},
			    {"origin", kOrigin},
			    {"path", std::string(kOrigin) + "." + path_component(e.id) + "." + path_component(e.subtest)},
			    {"status", kcidb_status(e.verdict)},
			    {"duration", e.duration_ms / 1000.0},
			    {"environment", {{"comment", environment}}},
			    {"misc", misc}};
	if (!r.started.empty())
		t["start_time"] = r.started;
	if (!e.reason.empty())
		t["comment"] = e.reason;
	nlohmann::json files = nlohmann::json::array();
	for (const char *k : {"pcap_file", "evidence_file"})
		if (auto f = e.evidence.find(k); f != e.evidence.end() && f->is_string())
			files.push_back(resource(fs::path(f->get<std::string>()).filename().string(), f->get<std::string>(), o));
	if (!files.empty())
		t["output_files"] = files;
	return t;
}

} // namespace

const char *kcidb_status(Verdict v)
{
	switch (v) {
	case Verdict::Confirmed: return "PASS";
	case Verdict::Deviates: return "FAIL";
	case Verdict::Error: return "ERROR";
	case Verdict::Skipped: return "SKIP";
	case Verdict::Unpinned: return "DONE";
	}
	return "ERROR";
}

nlohmann::json to_kcidb(const std::vector<ResultFile> &runs, const KcidbOptions &o)
{
	nlohmann::json doc = {{"version", {{"major", 5}, {"minor", 3}}},
			      {"checkouts", nlohmann::json::array()},
			      {"builds", nlohmann::json::array()},
			      {"tests", nlohmann::json::array()}};
	std::map<std::string, bool> seen_checkouts;
	for (const auto &f : runs) {
		const RunResults &r = f.results;
		KernelSource src = source_of(r);
		std::string checkout_id = std::string(kOrigin) + ":" + src.key;
		if (!seen_checkouts[checkout_id]) {
			seen_checkouts[checkout_id] = true;
			nlohmann::json c = {{"id", checkout_id}, {"origin", kOrigin}, {"comment", src.comment},
					    {"valid", true}, {"misc", src.misc}};
			if (!r.started.empty())
				c["start_time"] = r.started;
			doc["checkouts"].push_back(c);
		}
		// One build per results file: a bench's and a run's results of the
		// same kernel stay apart.
		std::string build_id = checkout_id + ":" + fs::path(f.path).stem().string();
		nlohmann::json outputs = nlohmann::json::array({resource("results.json", f.path, o)});
		std::string console = r.runner.is_object() ? r.runner.value("console_log", "") : "";
		if (!console.empty())
			outputs.push_back(resource("console.log", console, o));
		nlohmann::json b = {{"id", build_id},
				    {"checkout_id", checkout_id},
				    {"origin", kOrigin},
				    // xdplab runs on x86-64 hosts and boots x86-64 guests (qemu-system-x86)
				    {"architecture", "x86_64"},
				    {"config_name", r.kernel.release},
				    {"comment", src.comment},
				    {"duration", r.duration_ms / 1000.0},
				    {"output_files", outputs},
				    {"misc", src.misc}};
		if (!console.empty())
			b["log_url"] = url_of(console, o);
		if (!r.started.empty())
			b["start_time"] = r.started;
		doc["builds"].push_back(b);
		std::string environment = src.misc.value("ran_on", "host") == "vm"
						  ? "VM (" + r.runner.value("accel", "?") + ") booting " + src.comment
						  : "host, " + src.comment;
		for (const auto &e : r.experiments)
			doc["tests"].push_back(test_of(e, build_id, r, environment, o));
	}
	return doc;
}

} // namespace xdplab
