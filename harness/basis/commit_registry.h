// The kernel commits expectations cite (experiments/_commits.yaml): subject,
// first mainline release and the stable backports known from kernel.org, so
// that a commit id can be looked up in Debian's changelogs, which list
// upstream commits by subject only.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace xdplab {

class RegistryError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

struct StableBackport {
	std::string release;  // first stable release carrying it: 6.1.115
	std::string id;       // the backport's own commit, "" when not known
	std::string evidence; // where that was read
};

struct KnownCommit {
	std::string id, subject;
	std::string mainline; // "6.12"
	std::string evidence, note;
	std::map<std::string, StableBackport> stable; // by series, "6.1"
};

struct CommitRegistry {
	std::string path;
	std::vector<KnownCommit> commits;
	// By id or any prefix of 12+ digits of it, and by a backport's own id.
	const KnownCommit *find(const std::string &id) const;
};

CommitRegistry parse_commit_registry(const std::string &yaml_text, const std::string &path);
CommitRegistry load_commit_registry(const std::string &path);

// Commit ids (12 to 40 hex digits, at least one a-f letter and one digit,
// so that neither a word nor a number is taken for one) in a text.
std::set<std::string> commit_ids_in(const std::string &text);

} // namespace xdplab
