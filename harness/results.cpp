#include "results.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace xdplab {

std::string to_string(Verdict v)
{
	switch (v) {
	case Verdict::Confirmed: return "confirmed";
	case Verdict::Deviates: return "deviates";
	case Verdict::Skipped: return "skipped";
	case Verdict::Error: return "error";
	case Verdict::Unpinned: return "unpinned";
	}
	return "error";
}

Verdict verdict_from_string(const std::string &s)
{
	for (Verdict v : {Verdict::Confirmed, Verdict::Deviates, Verdict::Skipped, Verdict::Error, Verdict::Unpinned})
		if (to_string(v) == s)
			return v;
	throw std::runtime_error("unknown verdict \"" + s + "\"");
}

Summary RunResults::summary() const
{
	Summary s;
	for (const auto &e : experiments) {
		switch (e.verdict) {
		case Verdict::Confirmed: ++s.confirmed; break;
		case Verdict::Deviates: ++s.deviates; break;
		case Verdict::Skipped: ++s.skipped; break;
		case Verdict::Error: ++s.error; break;
		case Verdict::Unpinned: ++s.unpinned; break;
		}
	}
	return s;
}

namespace {

// A cost case (or its anchor) that could not be measured, or a bench that
// could not clean up, is an error like an experiment's.
bool benchmarks_failed(const json &b)
{
	if (!b.is_object())
		return false;
	bool failed = b.contains("teardown_problems");
	for (const auto &c : b.value("cases", json::array()))
		failed = failed || c.value("status", "") == "error";
	if (b.contains("anchor"))
		for (const auto &a : b["anchor"].value("cases", json::array()))
			failed = failed || a.value("status", "") == "error";
	return failed;
}

} // namespace

int RunResults::exit_code() const
{
	Summary s = summary();
	return s.error || benchmarks_failed(benchmarks) ? 2 : s.deviates ? 1 : 0;
}

json to_json(const RunResults &r)
{
	json doc;
	doc["schema"] = RunResults::kSchema;
	doc["kernel"] = {{"release", r.kernel.release},
			 {"version", {r.kernel.version.major, r.kernel.version.minor, r.kernel.version.patch}}};
	doc["started"] = r.started;
	doc["duration_ms"] = r.duration_ms;
	if (!r.runner.is_null())
		doc["runner"] = r.runner;
	if (!r.benchmarks.is_null())
		doc["benchmarks"] = r.benchmarks;
	if (!r.catalog.is_null())
		doc["catalog"] = r.catalog;
	doc["experiments"] = json::array();
	for (const auto &e : r.experiments) {
		doc["experiments"].push_back({{"id", e.id},
					      {"subtest", e.subtest},
					      {"verdict", to_string(e.verdict)},
					      {"reason", e.reason},
					      {"observations", e.observations},
					      {"expected", e.expected},
					      {"basis", e.basis},
					      {"seed_claim_holds", e.seed_claim_holds ? json(*e.seed_claim_holds) : json()},
					      {"evidence", e.evidence},
					      {"duration_ms", e.duration_ms}});
	}
	Summary s = r.summary();
	doc["summary"] = {{"confirmed", s.confirmed}, {"deviates", s.deviates}, {"skipped", s.skipped}, {"error", s.error}, {"unpinned", s.unpinned}};
	return doc;
}

RunResults results_from_json(const json &doc)
{
	if (!doc.is_object() || doc.value("schema", "") != RunResults::kSchema)
		throw std::runtime_error(std::string("not an ") + RunResults::kSchema + " document");
	RunResults r;
	r.kernel.release = doc.at("kernel").at("release").get<std::string>();
	const json &v = doc.at("kernel").at("version");
	r.kernel.version = {v.at(0).get<int>(), v.at(1).get<int>(), v.at(2).get<int>()};
	r.started = doc.value("started", "");
	r.duration_ms = doc.value("duration_ms", 0L);
	r.runner = doc.value("runner", json());
	r.benchmarks = doc.value("benchmarks", json());
	r.catalog = doc.value("catalog", json());
	for (const auto &e : doc.at("experiments")) {
		SubtestResult s;
		s.id = e.at("id").get<std::string>();
		s.subtest = e.at("subtest").get<std::string>();
		s.verdict = verdict_from_string(e.at("verdict").get<std::string>());
		s.reason = e.value("reason", "");
		s.observations = e.value("observations", json::object());
		s.expected = e.value("expected", json::object());
		s.basis = e.value("basis", "");
		if (e.contains("seed_claim_holds") && e["seed_claim_holds"].is_boolean())
			s.seed_claim_holds = e["seed_claim_holds"].get<bool>();
		s.evidence = e.value("evidence", json::object());
		s.duration_ms = e.value("duration_ms", 0L);
		r.experiments.push_back(std::move(s));
	}
	return r;
}

void write_file_atomic(const std::string &path, const std::string &content)
{
	std::string tmp = path + ".tmp." + std::to_string(getpid());
	int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		throw std::runtime_error("cannot write " + tmp);
	size_t off = 0;
	while (off < content.size()) {
		ssize_t n = write(fd, content.data() + off, content.size() - off);
		if (n <= 0) {
			close(fd);
			unlink(tmp.c_str());
			throw std::runtime_error("short write to " + tmp);
		}
		off += static_cast<size_t>(n);
	}
	fsync(fd);
	close(fd);
	if (rename(tmp.c_str(), path.c_str()) != 0) {
		unlink(tmp.c_str());
		throw std::runtime_error("cannot rename " + tmp + " to " + path);
	}
}

std::string iso8601_now()
{
	auto now = std::chrono::system_clock::now();
	std::time_t t = std::chrono::system_clock::to_time_t(now);
	std::tm tm{};
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

} // namespace xdplab
