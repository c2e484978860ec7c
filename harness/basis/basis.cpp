#include "basis.h"
#include "../vm/kernel_images.h"

#include <algorithm>
#include <iomanip>

namespace xdplab {

namespace {

bool same_series(const std::string &release, const std::string &series)
{
	return !release.empty() && kernel_series(release) == series;
}

// Oldest first: the file lists entries newest first.
struct Found {
	const ChangelogEntry *entry = nullptr;
	const ChangelogItem *item = nullptr;
};

Found first_listing(const SeriesChangelog &log, const std::string &subject)
{
	for (auto e = log.entries.rbegin(); e != log.entries.rend(); ++e)
		for (const auto &item : e->items) {
			// An upstream commit under a ChangeLog link of this series, or a patch
			// Debian applied itself to an upload of this series.
			bool ours = item.release.empty() ? same_series(upstream_version(e->version), log.series)
							 : same_series(item.release, log.series);
			if (ours && item_subject(item.text) == subject)
				return {&*e, &item};
		}
	return {};
}

std::string revert_after(const SeriesChangelog &log, const ChangelogEntry *since, const ChangelogItem *listing,
			 const std::string &subject)
{
	std::string revert = "Revert \"" + subject + "\"";
	for (const auto &e : log.entries) { // newest first: stop at the listing
		if (&e == since) {
			// The same upload may bring the revert in a later release.
			for (const ChangelogItem *item = listing + 1; item < e.items.data() + e.items.size(); ++item)
				if (item_subject(item->text) == revert)
					return e.version;
			break;
		}
		for (const auto &item : e.items)
			if (item_subject(item.text) == revert)
				return e.version;
	}
	return "";
}

// The oldest upload whose entry brings in `release` or a later release of the series.
std::string first_upload_with(const SeriesChangelog &log, const std::string &release)
{
	for (auto e = log.entries.rbegin(); e != log.entries.rend(); ++e)
		for (const auto &r : e->upstream_releases)
			if (same_series(r, log.series) && upstream_version_compare(r, release) >= 0)
				return e->version;
	return "";
}

void place_in_archive(SeriesBasis &s, const std::vector<ServedBuild> &builds, bool by_debian_version)
{
	for (const auto &b : builds) { // oldest first
		bool carries = by_debian_version ? debian_version_compare(b.version, s.debian_version) >= 0
						 : upstream_version_compare(b.upstream, s.release) >= 0;
		if (carries) {
			if (s.first_served.empty())
				s.first_served = b.version;
		} else {
			s.last_served_without = b.version;
		}
	}
}

SeriesBasis series_basis(const KnownCommit &c, const SeriesChangelog &log, const std::vector<ServedBuild> &builds)
{
	SeriesBasis s;
	s.series = log.series;
	if (upstream_version_compare(log.series, c.mainline) >= 0) {
		s.status = "mainline";
		s.release = log.series;
		s.evidence = "the series starts at " + log.series + "; the commit is in mainline " + c.mainline;
		if (!builds.empty()) // release candidates included
			s.first_served = builds.front().version;
		return s;
	}
	Found f = first_listing(log, c.subject);
	if (f.entry) {
		s.status = "listed";
		s.release = f.item->release.empty() ? upstream_version(f.entry->version) : f.item->release;
		s.release_earliest = f.item->earliest.empty() ? s.release : f.item->earliest;
		s.debian_version = f.entry->version;
		s.reverted_in = revert_after(log, f.entry, f.item, c.subject);
		s.evidence = "Debian changelog of " + log.package + " " + log.version + ": entry " + f.entry->version +
			     (f.item->release.empty() ? " (a patch of Debian's own)"
						      : ", under ChangeLog-" + f.item->release +
								(s.release_earliest != s.release
									 ? " (after ChangeLog-" + s.release_earliest +
										   ", whose commits it does not list)"
									 : ""));
		place_in_archive(s, builds, f.item->release.empty());
		return s;
	}
	auto rec = c.stable.find(log.series);
	if (rec != c.stable.end()) {
		s.status = "recorded";
		s.release = rec->second.release;
		s.debian_version = first_upload_with(log, s.release);
		s.evidence = rec->second.evidence + "; the Debian changelog of " + log.package + " " + log.version +
			     " does not list the subject" +
			     (s.debian_version.empty() ? "" : ", its first upload with " + s.release + " is " + s.debian_version);
		place_in_archive(s, builds, false);
		return s;
	}
	s.status = "absent";
	s.evidence = "not listed in the Debian changelog of " + log.package + " " + log.version +
		     " and no stable backport recorded";
	return s;
}

} // namespace

const SeriesBasis *CommitBasis::in(const std::string &series) const
{
	for (const auto &s : this->series)
		if (s.series == series)
			return &s;
	return nullptr;
}

const CommitBasis *Basis::of(const std::string &id) const
{
	for (const auto &c : commits)
		if (c.commit.id.size() >= 12 && id.size() >= 12 && c.commit.id.compare(0, 12, id, 0, 12) == 0)
			return &c;
	return nullptr;
}

const SeriesChangelog *Basis::series(const std::string &s) const
{
	for (const auto &r : read)
		if (r.series == s)
			return &r;
	return nullptr;
}

Basis compute_basis(const CommitRegistry &registry, const std::map<std::string, std::vector<std::string>> &cited_in,
		    const std::vector<SeriesChangelog> &series,
		    const std::map<std::string, std::vector<ServedBuild>> &served)
{
	Basis b;
	b.read = series;
	for (auto &r : b.read)
		r.entries.clear(); // the result keeps which builds were read, not their text
	static const std::vector<ServedBuild> none;
	for (const auto &c : registry.commits) {
		CommitBasis cb;
		cb.commit = c;
		if (auto it = cited_in.find(c.id); it != cited_in.end())
			cb.cited_in = it->second;
		for (const auto &log : series) {
			auto builds = served.find(log.series);
			cb.series.push_back(series_basis(c, log, builds == served.end() ? none : builds->second));
		}
		b.commits.push_back(std::move(cb));
	}
	return b;
}

json basis_to_json(const Basis &b)
{
	json doc = {{"schema", "xdplab-basis/1"}, {"changelogs", json::array()}, {"commits", json::array()}};
	for (const auto &r : b.read)
		doc["changelogs"].push_back({{"series", r.series}, {"package", r.package}, {"version", r.version}});
	for (const auto &c : b.commits) {
		json series = json::object();
		for (const auto &s : c.series) {
			json j = {{"status", s.status}, {"evidence", s.evidence}};
			for (auto [key, value] : {std::pair{"release", &s.release}, {"release_earliest", &s.release_earliest},
						  {"debian_version", &s.debian_version}, {"first_served", &s.first_served},
						  {"last_served_without", &s.last_served_without},
						  {"reverted_in", &s.reverted_in}})
				if (!value->empty() && !(std::string(key) == "release_earliest" && *value == s.release))
					j[key] = *value;
			series[s.series] = j;
		}
		doc["commits"].push_back({{"id", c.commit.id},
					  {"subject", c.commit.subject},
					  {"mainline", c.commit.mainline},
					  {"cited_in", c.cited_in},
					  {"series", series}});
	}
	return doc;
}

Basis basis_from_json(const json &doc, const CommitRegistry &registry)
{
	if (doc.value("schema", "") != "xdplab-basis/1")
		throw std::runtime_error("not an xdplab-basis/1 document");
	Basis b;
	for (const auto &r : doc.at("changelogs"))
		b.read.push_back({r.at("series"), r.at("package"), r.at("version"), {}});
	for (const auto &c : doc.at("commits")) {
		CommitBasis cb;
		if (const KnownCommit *k = registry.find(c.at("id").get<std::string>()))
			cb.commit = *k;
		else
			cb.commit = {c.at("id"), c.value("subject", ""), c.value("mainline", ""), "", "", {}};
		cb.cited_in = c.value("cited_in", std::vector<std::string>{});
		for (auto it = c.at("series").begin(); it != c.at("series").end(); ++it) {
			const json &j = it.value();
			SeriesBasis s;
			s.series = it.key();
			s.status = j.value("status", "");
			s.release = j.value("release", "");
			s.release_earliest = j.value("release_earliest", s.release);
			s.debian_version = j.value("debian_version", "");
			s.first_served = j.value("first_served", "");
			s.last_served_without = j.value("last_served_without", "");
			s.reverted_in = j.value("reverted_in", "");
			s.evidence = j.value("evidence", "");
			cb.series.push_back(s);
		}
		b.commits.push_back(std::move(cb));
	}
	return b;
}

void print_basis_table(std::ostream &out, const Basis &b)
{
	out << "changelogs read:";
	for (const auto &r : b.read)
		out << " " << r.series << " (" << r.version << ")";
	out << "\n";
	for (const auto &c : b.commits) {
		out << "\n" << c.commit.id << "  " << c.commit.subject << "\n  mainline " << c.commit.mainline;
		if (!c.cited_in.empty()) {
			out << "; cited in";
			for (const auto &id : c.cited_in)
				out << " " << id;
		}
		out << "\n";
		std::vector<std::string> whole;
		for (const auto &s : c.series) {
			if (s.status == "mainline") {
				whole.push_back(s.series);
				continue;
			}
			out << "  " << std::left << std::setw(6) << s.series;
			if (s.status == "absent") {
				out << "not in this series\n";
				continue;
			}
			out << std::setw(10) << s.release << (s.status == "listed" ? "listed" : "recorded")
			    << (s.debian_version.empty() ? "" : ", first upload " + s.debian_version) << "; archive: "
			    << (s.first_served.empty() ? "no build with it" : "first with it " + s.first_served) << ", "
			    << (s.last_served_without.empty() ? "none without" : "last without " + s.last_served_without);
			if (!s.reverted_in.empty())
				out << "; REVERTED in " << s.reverted_in;
			out << "\n";
		}
		if (!whole.empty())
			out << "  " << whole.front() << (whole.size() > 1 ? "-" + whole.back() : "")
			    << ": every build (the series starts after mainline " << c.commit.mainline << ")\n";
	}
}

} // namespace xdplab
