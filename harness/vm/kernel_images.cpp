#include "kernel_images.h"
#include "../file_text.h"

#include "../kernel_version.h"

#include "../command.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace xdplab {

namespace {

const char *const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

// Replaces the file only when the text differs; returns whether it did.
bool write_if_changed(const fs::path &p, const std::string &text)
{
	if (fs::exists(p) && read_file(p) == text)
		return false;
	fs::path tmp = p.string() + ".tmp";
	{
		std::ofstream out(tmp);
		out << text;
		if (!out)
			throw std::runtime_error("cannot write " + tmp.string());
	}
	fs::rename(tmp, p);
	return true;
}

std::string trim(const std::string &s)
{
	size_t b = s.find_first_not_of(" \t\r\n");
	if (b == std::string::npos)
		return "";
	return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string lower(std::string s)
{
	for (char &c : s)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

std::vector<std::string> words(const std::string &s)
{
	std::vector<std::string> out;
	std::istringstream in(s);
	for (std::string w; in >> w;)
		out.push_back(w);
	return out;
}

std::vector<std::string> lines(const std::string &s)
{
	std::vector<std::string> out;
	std::istringstream in(s);
	for (std::string l; std::getline(in, l);)
		out.push_back(trim(l));
	return out;
}

bool has_word(const std::string &s, const std::string &w)
{
	auto ws = words(s);
	return std::find(ws.begin(), ws.end(), w) != ws.end();
}

// Sorted, so that a tree with two candidates always yields the same one.
std::vector<fs::path> dir_entries(const fs::path &dir)
{
	std::vector<fs::path> out;
	std::error_code ec;
	if (!fs::is_directory(dir, ec))
		return out;
	for (const auto &e : fs::directory_iterator(dir, ec))
		out.push_back(e.path());
	std::sort(out.begin(), out.end());
	return out;
}

using Paragraph = std::map<std::string, std::string>;

// deb822 paragraphs (sources files, apt-cache show): field names lower-cased,
// continuation lines appended, comments dropped.
std::vector<Paragraph> deb822_paragraphs(const std::string &text)
{
	std::vector<Paragraph> out(1);
	std::string field;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);) {
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		if (line.starts_with('#'))
			continue;
		if (trim(line).empty()) {
			if (!out.back().empty())
				out.emplace_back();
			field.clear();
		} else if (line[0] == ' ' || line[0] == '\t') {
			if (!field.empty())
				out.back()[field] += " " + trim(line);
		} else if (size_t colon = line.find(':'); colon != std::string::npos) {
			field = lower(trim(line.substr(0, colon)));
			out.back()[field] = trim(line.substr(colon + 1));
		}
	}
	if (out.back().empty())
		out.pop_back();
	return out;
}

// Third-party repositories often share the host's sources (Docker's names
// "bookworm" too); a Debian mirror serves a Debian suite with "main".
bool debian_suite(const std::string &suite)
{
	static const std::set<std::string> names = {"buster",	 "bullseye",  "bookworm", "trixie",   "forky",
						    "duke",	 "sid",	      "stable",	  "oldstable", "testing",
						    "unstable", "experimental"};
	return names.count(suite.substr(0, suite.find('-'))) > 0;
}

void take_mirror(DebianMirrors &m, const std::string &uri, const std::string &suite)
{
	if (!debian_suite(suite) || uri.starts_with("cdrom:"))
		return;
	std::string &slot = suite.ends_with("-security") ? m.security : m.archive;
	if (slot.empty())
		slot = uri;
}

std::string private_apt_conf(const std::string &dir)
{
	std::ostringstream s;
	s << "// apt for xdplab's kernel packages: own sources, lists, caches and dpkg status.\n"
	  << "Dir::State \"" << dir << "/state\";\n"
	  << "Dir::State::Lists \"" << dir << "/lists\";\n"
	  << "Dir::State::status \"" << dir << "/status\";\n"
	  << "Dir::Cache \"" << dir << "/cache\";\n"
	  // A container's apt.conf.d may switch the binary cache off: every lookup would then
	  // parse ten suites again (2 s instead of 0.2 s). The source cache only speeds up
	  // rebuilds after dpkg runs, which never happen here, and is as big (over 100 MB).
	  << "Dir::Cache::pkgcache \"pkgcache.bin\";\n"
	  << "Dir::Cache::srcpkgcache \"\";\n"
	  << "Dir::Etc::sourcelist \"" << dir << "/sources.list\";\n"
	  << "Dir::Etc::sourceparts \"" << dir << "/sources.list.d\";\n"
	  << "Dir::Etc::preferences \"" << dir << "/preferences\";\n"
	  << "Dir::Etc::preferencesparts \"" << dir << "/preferences.d\";\n"
	  // The guests are amd64 whatever the host's dpkg architectures are.
	  << "APT::Architecture \"amd64\";\n"
	  << "APT::Architectures { \"amd64\"; };\n"
	  // Should a path above ever resolve to the host's lists, never delete any of them.
	  << "APT::Get::List-Cleanup \"false\";\n"
	  // The host's update hooks (PackageKit, AppStream) are about the host's lists.
	  << "#clear APT::Update::Pre-Invoke;\n"
	  << "#clear APT::Update::Post-Invoke;\n"
	  << "#clear APT::Update::Post-Invoke-Success;\n";
	return s.str();
}

bool has_package_lists(const fs::path &lists)
{
	for (const auto &e : dir_entries(lists))
		if (e.filename().string().find("_Packages") != std::string::npos)
			return true;
	return false;
}

// "a (= 1), b | c (>= 2)" -> a=1, b, c: every alternative, an exact version kept.
std::vector<DebianArchive::PackageRef> parse_depends(const std::string &field)
{
	static const std::regex item(R"(^\s*([^\s(:]+)(:\S+)?\s*(\(\s*=\s*([^\s)]+)\s*\))?)");
	std::vector<DebianArchive::PackageRef> out;
	std::string alt;
	std::istringstream in(field);
	while (std::getline(in, alt, ',')) {
		std::istringstream alts(alt);
		for (std::string one; std::getline(alts, one, '|');) {
			std::smatch m;
			if (std::regex_search(one, m, item))
				out.push_back({m[1], m[4]});
		}
	}
	return out;
}

int char_order(char c)
{
	if (std::isdigit(static_cast<unsigned char>(c)))
		return 0;
	if (std::isalpha(static_cast<unsigned char>(c)))
		return c;
	if (c == '~')
		return -1;
	return c ? c + 256 : 0;
}

// dpkg's verrevcmp: runs of non-digits by char_order, runs of digits as numbers.
int compare_part(const std::string &a, const std::string &b)
{
	auto at = [](const std::string &s, size_t i) { return i < s.size() ? s[i] : '\0'; };
	auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
	size_t i = 0, j = 0;
	while (at(a, i) || at(b, j)) {
		while ((at(a, i) && !digit(at(a, i))) || (at(b, j) && !digit(at(b, j)))) {
			int ac = char_order(at(a, i)), bc = char_order(at(b, j));
			if (ac != bc)
				return ac - bc;
			++i;
			++j;
		}
		while (at(a, i) == '0')
			++i;
		while (at(b, j) == '0')
			++j;
		int first_diff = 0;
		while (digit(at(a, i)) && digit(at(b, j))) {
			if (!first_diff)
				first_diff = at(a, i) - at(b, j);
			++i;
			++j;
		}
		if (digit(at(a, i)))
			return 1;
		if (digit(at(b, j)))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

struct VersionParts {
	unsigned long epoch = 0;
	std::string upstream, revision;
};

VersionParts split_version(const std::string &v)
{
	VersionParts p;
	std::string rest = v;
	if (size_t colon = rest.find(':'); colon != std::string::npos) {
		p.epoch = std::stoul(rest.substr(0, colon));
		rest = rest.substr(colon + 1);
	}
	size_t dash = rest.rfind('-');
	p.upstream = rest.substr(0, dash);
	if (dash != std::string::npos)
		p.revision = rest.substr(dash + 1);
	return p;
}

// "linux-image-7.2.13+deb14-amd64" and its "linux-binary-7.2.13+deb14-amd64":
// the same build, by the name Debian gives the kernel ABI.
bool same_build(const std::string &package, const std::string &abi)
{
	if (!package.starts_with("linux-") || !package.ends_with("-" + abi))
		return false;
	std::string kind = package.substr(6, package.size() - 6 - abi.size() - 1);
	return !kind.empty() && std::all_of(kind.begin(), kind.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string abi_of(const std::string &image_package)
{
	std::string abi = image_package.substr(std::string("linux-image-").size());
	if (abi.ends_with("-unsigned"))
		abi.resize(abi.size() - std::string("-unsigned").size());
	return abi;
}

const std::regex &image_name()
{
	// 5.10.0-46, 6.1.0-0.deb11.52, 6.12.90+deb12.1, 7.3; a flavour (-cloud, -rt)
	// has no digit after its dash and so does not match, nor -dbg or templates.
	static const std::regex re(R"(linux-image-([0-9]+\.[0-9]+[0-9a-z.+~]*(-[0-9][0-9a-z.+~]*)?)-amd64(-unsigned)?)");
	return re;
}

std::vector<DebianKernel> kernels_of(const DebianArchive &a)
{
	std::vector<std::string> names;
	for (const auto &n : a.search("^linux-image-[0-9]"))
		if (std::regex_match(n, image_name()))
			names.push_back(n);
	if (names.empty())
		return {};
	auto kernels = kernels_from_stanzas(a.show(names), a.suites_of(names));
	mark_missing_packages(kernels, a.search("^linux-(binary|modules|base)-[0-9]"));
	return kernels;
}

std::string series_of(const std::string &upstream)
{
	static const std::regex re(R"(^([0-9]+\.[0-9]+))");
	std::smatch m;
	return std::regex_search(upstream, m, re) ? m[1].str() : upstream;
}

std::string nothing_matches(const std::string &request, const std::vector<DebianKernel> &all, const DebianArchive &a)
{
	std::vector<std::string> series;
	for (auto it = all.rbegin(); it != all.rend(); ++it)
		if (std::find(series.begin(), series.end(), series_of(it->upstream)) == series.end())
			series.push_back(series_of(it->upstream));
	std::string s = "no Debian kernel package for " + request + " in the suites of " + a.dir() +
			"/sources.list (apt-get update output: " + a.dir() + "/update.log); series there:";
	for (const auto &x : series)
		s += " " + x;
	return s;
}

// The packages of one build: the image and what it depends on of the same ABI:
// linux-base- (config, modules.builtin) from 6.18, linux-binary- (the kernel
// itself) and linux-modules- from 6.19. Those no suite carries are left out.
std::vector<DebianArchive::PackageRef> build_packages(const DebianArchive &a, const DebianKernel &k)
{
	std::string abi = abi_of(k.package);
	std::vector<DebianArchive::PackageRef> out = {{k.package, k.version}};
	auto taken = [&](const std::string &name) {
		return std::any_of(out.begin(), out.end(), [&](const auto &o) { return o.name == name; }) ||
		       std::find(k.missing.begin(), k.missing.end(), name) != k.missing.end();
	};
	for (size_t i = 0; i < out.size(); ++i)
		for (const auto &d : i == 0 ? k.depends : a.depends(out[i]))
			if (same_build(d.name, abi) && !taken(d.name))
				out.push_back(d);
	return out;
}

// A missing linux-base- only costs the config; these are the kernel and its modules.

// "linux-image-7.1.13+deb13-amd64 7.1.13-1~bpo13+1 depends on linux-modules-..., which no suite carries any more"
std::string missing_note(const DebianKernel &k)
{
	std::string s = k.package + " " + k.version + " depends on ";
	for (size_t i = 0; i < k.missing.size(); ++i)
		s += (i ? ", " : "") + k.missing[i];
	return s + ", which no suite carries any more";
}

// Unpacked into root.partial and renamed, so that root exists only complete.
void unpack_kernel(const DebianArchive &a, const DebianKernel &k, const fs::path &root)
{
	fs::path tmp = root.string() + ".partial";
	fs::path dl = root.parent_path() / "downloads";
	fs::remove_all(tmp);
	fs::create_directories(tmp);
	fs::create_directories(dl);
	for (const auto &p : build_packages(a, k)) {
		std::string deb = a.download(p, dl.string());
		run_checked({"dpkg-deb", "-x", deb, tmp.string()});
		fs::remove(deb);
	}
	fs::rename(tmp, root);
}

DebianKernel resolve(const KernelRequest &r, const std::string &request, DebianArchive &a)
{
	bool updated = a.refresh();
	auto all = kernels_of(a);
	auto k = choose_kernel(r, all);
	if (!k && !updated) {
		// Lists younger than a day may still predate the upload asked for.
		a.update();
		all = kernels_of(a);
		k = choose_kernel(r, all);
	}
	if (!k)
		throw std::runtime_error(nothing_matches(request, all, a));
	// Ranked last, so every build of the request lacks them: say so before any download.
	if (lacks_kernel_or_modules(*k))
		throw std::runtime_error("no complete Debian build for " + request + ": the newest, " + missing_note(*k));
	return *k;
}

std::string cache_name(const DebianKernel &k)
{
	std::string v = k.version;
	std::replace(v.begin(), v.end(), ':', '_');
	return k.package + "_" + v;
}

// A user image's module trees: ../lib/modules/* and ../usr/lib/modules/*
// from the directory it sits in (one tree even where lib is a link to usr/lib).
std::vector<fs::path> module_trees_beside(const fs::path &image)
{
	std::vector<fs::path> out;
	std::set<fs::path> seen;
	for (const char *m : {"lib/modules", "usr/lib/modules"})
		for (const auto &e : dir_entries(image.parent_path().parent_path() / m)) {
			std::error_code ec;
			if (fs::is_directory(e, ec) && seen.insert(fs::canonical(e, ec)).second)
				out.push_back(e);
		}
	return out;
}

std::string release_of_image(const fs::path &image)
{
	std::string f = image.filename().string();
	return f.starts_with("vmlinuz-") ? f.substr(8) : "";
}

bool in_modules_tree(const fs::path &image)
{
	return image.filename() == "vmlinuz" && image.parent_path().parent_path().filename() == "modules";
}

std::string modules_beside(const fs::path &image)
{
	if (in_modules_tree(image))
		return image.parent_path().string();
	auto trees = module_trees_beside(image);
	for (const auto &t : trees)
		if (t.filename() == release_of_image(image))
			return t.string();
	return trees.size() == 1 ? trees[0].string() : "";
}

// What the error names when no modules directory was found for a user image.
std::string where_modules_were_sought(const KernelImage &k)
{
	if (!k.modules_dir.empty())
		return k.modules_dir;
	fs::path up = fs::path(k.bzimage).parent_path().parent_path();
	std::string s = (up / "lib/modules").string() + "/* and " + (up / "usr/lib/modules").string() + "/*";
	auto trees = module_trees_beside(k.bzimage);
	if (trees.size() > 1)
		s += " (" + std::to_string(trees.size()) + " trees there, none named after the image's release)";
	return s;
}

// Kernel configs that may sit beside an image: Debian's boot/config-<release>
// or, from 7.2, in the modules directory; a build tree's .config above
// arch/<arch>/boot/bzImage or beside a copied image.
std::vector<fs::path> kernel_configs(const KernelImage &k)
{
	std::vector<fs::path> out;
	if (!k.modules_dir.empty())
		out.push_back(fs::path(k.modules_dir) / "config");
	fs::path image = k.bzimage, dir = image.parent_path();
	if (!release_of_image(image).empty())
		out.push_back(dir / ("config-" + release_of_image(image)));
	if (dir.filename() == "boot" && dir.parent_path().parent_path().filename() == "arch")
		out.push_back(dir.parent_path().parent_path().parent_path() / ".config");
	out.push_back(dir / ".config");
	return out;
}

std::string config_symbol(const std::string &module)
{
	std::string s = "CONFIG_";
	for (char c : module)
		s += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return s;
}

} // namespace

bool lacks_kernel_or_modules(const DebianKernel &k)
{
	return std::any_of(k.missing.begin(), k.missing.end(), [](const std::string &m) {
		return m.starts_with("linux-binary-") || m.starts_with("linux-modules-");
	});
}

// --- Mirrors and the private apt configuration ------------------------------

DebianMirrors mirrors_from_deb822(const std::string &text)
{
	DebianMirrors m;
	for (auto &s : deb822_paragraphs(text)) {
		if (!has_word(s["types"], "deb") || lower(s["enabled"]) == "no" || !has_word(s["components"], "main"))
			continue;
		auto uris = words(s["uris"]);
		if (uris.empty())
			continue;
		for (const auto &suite : words(s["suites"]))
			take_mirror(m, uris[0], suite);
	}
	return m;
}

DebianMirrors mirrors_from_sources_list(const std::string &text)
{
	DebianMirrors m;
	for (std::string line : lines(text)) {
		line = trim(line.substr(0, line.find('#')));
		// Options in brackets may hold spaces: "[ arch=amd64 signed-by=... ]".
		if (size_t open = line.find('['); open != std::string::npos)
			line.erase(open, line.find(']', open) - open + 1);
		auto w = words(line);
		if (w.size() < 4 || w[0] != "deb" || std::find(w.begin() + 3, w.end(), "main") == w.end())
			continue;
		take_mirror(m, w[1], w[2]);
	}
	return m;
}

DebianMirrors system_debian_mirrors()
{
	const fs::path deb822 = "/etc/apt/sources.list.d/debian.sources", oneline = "/etc/apt/sources.list";
	DebianMirrors m = mirrors_from_deb822(read_file(deb822));
	if (m.archive.empty() || m.security.empty()) {
		DebianMirrors old = mirrors_from_sources_list(read_file(oneline));
		if (m.archive.empty())
			m.archive = old.archive;
		if (m.security.empty())
			m.security = old.security;
	}
	if (m.archive.empty())
		throw std::runtime_error("no Debian mirror in " + deb822.string() + " or " + oneline.string() +
					 ": kernels are fetched from the mirror the host's own packages come from");
	return m;
}

std::string private_sources_list(const DebianMirrors &m)
{
	// Where each kernel line lives: 5.10 (bullseye and its LTS security suite),
	// 6.1 (bookworm), 6.12 (bookworm-backports, trixie), newer ones in
	// trixie-backports, sid and experimental (release candidates).
	static const std::vector<std::pair<const char *, bool>> suites = {
		{"bullseye", false},	       {"bullseye-security", true}, {"bookworm", false},
		{"bookworm-security", true},   {"bookworm-backports", false}, {"trixie", false},
		{"trixie-security", true},     {"trixie-backports", false}, {"sid", false},
		{"experimental", false},
	};
	std::ostringstream s;
	for (const auto &[suite, security] : suites) {
		const std::string &uri = security ? m.security : m.archive;
		if (!uri.empty())
			s << "deb [signed-by=" << keyring << "] " << uri << " " << suite << " main\n";
	}
	return s.str();
}

DebianArchive::DebianArchive(const std::string &cache_dir) : dir_((fs::absolute(cache_dir) / "apt").string())
{
	fs::path d = dir_;
	for (const char *sub : {"lists/partial", "state", "cache", "sources.list.d", "preferences.d"})
		fs::create_directories(d / sub);
	if (!fs::exists(d / "status"))
		std::ofstream(d / "status").flush();
	write_if_changed(d / "apt.conf", private_apt_conf(dir_));
	// Lists fetched from other mirrors or for other suites are not these sources' lists.
	if (write_if_changed(d / "sources.list", private_sources_list(system_debian_mirrors())))
		fs::remove(d / "updated");
}

std::vector<std::string> DebianArchive::apt(const std::string &tool) const
{
	return {tool, "-c", dir_ + "/apt.conf"};
}

void DebianArchive::update()
{
	auto argv = apt("apt-get");
	argv.insert(argv.end(), {"-q", "update"});
	CommandResult r = run_command(argv);
	fs::path d = dir_;
	write_if_changed(d / "update.log", r.output + "\n");
	// Exit 100 also when one suite is missing on the mirror (bullseye-security
	// once bullseye leaves LTS) or the network is down: the other lists, or the
	// previous ones, still serve.
	if (r.exit_code != 0 && !has_package_lists(d / "lists"))
		throw CommandError(shell_join(argv), r);
	std::ofstream(d / "updated").flush();
	fs::last_write_time(d / "updated", fs::file_time_type::clock::now());
}

bool DebianArchive::stale(std::chrono::hours max_age) const
{
	fs::path stamp = fs::path(dir_) / "updated";
	std::error_code ec;
	auto t = fs::last_write_time(stamp, ec);
	return ec || fs::file_time_type::clock::now() - t > max_age || !has_package_lists(fs::path(dir_) / "lists");
}

bool DebianArchive::refresh()
{
	if (!stale())
		return false;
	update();
	return true;
}

std::vector<std::string> DebianArchive::search(const std::string &name_regex) const
{
	auto argv = apt("apt-cache");
	argv.insert(argv.end(), {"search", "--names-only", name_regex});
	std::vector<std::string> names;
	// "name - description"; apt's W:/E: notes share the stream and have no " - ".
	for (const auto &l : lines(run_command(argv).output))
		if (size_t sep = l.find(" - "); sep != std::string::npos && l.find(' ') == sep)
			names.push_back(l.substr(0, sep));
	return names;
}

std::vector<DebianArchive::Stanza> DebianArchive::show(const std::vector<std::string> &names) const
{
	if (names.empty())
		return {};
	auto argv = apt("apt-cache");
	argv.push_back("show");
	argv.insert(argv.end(), names.begin(), names.end());
	std::vector<Stanza> out;
	for (auto &s : deb822_paragraphs(run_command(argv).output))
		if (!s["package"].empty() && !s["version"].empty())
			out.push_back({s["package"], s["version"], parse_depends(s["depends"])});
	return out;
}

std::vector<DebianArchive::Offer> DebianArchive::suites_of(const std::vector<std::string> &names) const
{
	if (names.empty())
		return {};
	auto argv = apt("apt-cache");
	argv.push_back("madison");
	argv.insert(argv.end(), names.begin(), names.end());
	// "pkg | 6.1.192-2 | http://mirror/debian-security bookworm-security/main amd64 Packages"
	static const std::regex row(R"(^(\S+)\s*\|\s*(\S+)\s*\|\s*\S+\s+([^/\s]+)/\S+\s+\S+\s+Packages$)");
	std::vector<Offer> out;
	for (const auto &l : lines(run_command(argv).output)) {
		std::smatch m;
		if (std::regex_match(l, m, row))
			out.push_back({m[1], m[2], m[3]});
	}
	return out;
}

std::vector<DebianArchive::PackageRef> DebianArchive::depends(const PackageRef &pkg) const
{
	auto all = show({pkg.name});
	const Stanza *pick = nullptr;
	// No version asked for: the highest any suite has.
	for (const auto &s : all)
		if (s.version == pkg.version ||
		    (pkg.version.empty() && (!pick || debian_version_compare(pick->version, s.version) < 0)))
			pick = &s;
	if (!pick)
		throw std::runtime_error("apt knows no " + pkg.name + (pkg.version.empty() ? "" : " " + pkg.version));
	return pick->depends;
}

std::string DebianArchive::download(const PackageRef &pkg, const std::string &dir) const
{
	std::string version = pkg.version;
	if (size_t colon = version.find(':'); colon != std::string::npos)
		version.replace(colon, 1, "%3a");
	std::string prefix = pkg.name + "_" + (version.empty() ? "" : version + "_");
	auto ours = [&](const fs::path &p) {
		return p.filename().string().starts_with(prefix) && p.extension() == ".deb";
	};
	// A file left by an interrupted run may be partial.
	for (const auto &e : dir_entries(dir))
		if (ours(e))
			fs::remove(e);
	// apt-get download writes into the current directory.
	std::vector<std::string> argv = {"sh", "-c", "cd \"$0\" && exec \"$@\"", dir};
	auto a = apt("apt-get");
	argv.insert(argv.end(), a.begin(), a.end());
	argv.insert(argv.end(), {"-q", "download", pkg.version.empty() ? pkg.name : pkg.name + "=" + pkg.version});
	run_checked(argv);
	for (const auto &e : dir_entries(dir))
		if (ours(e))
			return e.string();
	throw std::runtime_error("apt-get download " + pkg.name + " left no .deb in " + dir);
}

// --- Which kernel a request means --------------------------------------------

int debian_version_compare(const std::string &a, const std::string &b)
{
	VersionParts x = split_version(a), y = split_version(b);
	if (x.epoch != y.epoch)
		return x.epoch < y.epoch ? -1 : 1;
	if (int c = compare_part(x.upstream, y.upstream))
		return c;
	return compare_part(x.revision, y.revision);
}

std::string upstream_version(const std::string &debian_version)
{
	return split_version(debian_version).upstream;
}

bool kernel_older(const DebianKernel &a, const DebianKernel &b)
{
	if (int c = debian_version_compare(a.upstream, b.upstream))
		return c < 0;
	if (int c = debian_version_compare(a.version, b.version))
		return c < 0;
	if (a.is_signed != b.is_signed)
		return !a.is_signed;
	return a.package < b.package;
}

KernelRequest parse_kernel_request(const std::string &request)
{
	static const std::regex form(R"(([0-9]+\.[0-9]+)(\.[0-9]+)?([-~]rc[0-9]+)?)");
	std::smatch m;
	if (!std::regex_match(request, m, form))
		throw std::invalid_argument("kernel \"" + request +
					    "\": expected a series like 6.1, an upstream version like 6.12.43 "
					    "or 7.3-rc7, or host");
	KernelRequest r;
	r.version = m[1].str() + m[2].str();
	if (m[3].matched)
		r.version += "~" + m[3].str().substr(1);
	r.exact = m[2].matched || m[3].matched;
	return r;
}

void check_kernel_request(const std::string &request)
{
	if (!kernel_alias(request))
		parse_kernel_request(request);
}

bool kernel_alias(const std::string &request)
{
	return request == "all" || request == "lts" || request == "newest" || request == "boundaries";
}

std::string kernel_series(const std::string &upstream)
{
	static const std::regex series(R"(^([0-9]+\.[0-9]+))");
	std::smatch m;
	return std::regex_search(upstream, m, series) ? m[1].str() : upstream;
}

std::vector<std::string> expand_kernel_requests(const std::vector<std::string> &requests,
						const std::vector<DebianKernel> &available)
{
	// Only series with a build that can be booted with its modules.
	std::vector<const DebianKernel *> usable;
	for (const auto &k : available)
		if (!lacks_kernel_or_modules(k))
			usable.push_back(&k);
	auto newest_of = [&](bool rc) -> std::optional<std::string> {
		const DebianKernel *best = nullptr;
		for (const auto *k : usable)
			if ((k->upstream.find("~rc") != std::string::npos) == rc && (!best || kernel_older(*best, *k)))
				best = k;
		if (!best)
			return std::nullopt;
		return rc ? best->upstream.substr(0, best->upstream.find('~')) + "-" +
				    best->upstream.substr(best->upstream.find('~') + 1)
			  : kernel_series(best->upstream);
	};
	std::vector<std::string> out;
	auto add = [&](const std::string &r) {
		if (std::find(out.begin(), out.end(), r) == out.end())
			out.push_back(r);
	};
	for (const auto &r : requests) {
		if (r == "lts") {
			for (const char *s : {"5.10", "6.1", "6.12"})
				add(s);
		} else if (r == "newest") {
			if (auto s = newest_of(false))
				add(*s);
			if (auto rc = newest_of(true))
				add(*rc);
		} else if (r == "boundaries") {
			continue; // needs the expectations: expanded by the caller
		} else if (r == "all") {
			std::vector<std::string> series;
			for (const auto *k : usable)
				if (k->upstream.find("~rc") == std::string::npos)
					series.push_back(kernel_series(k->upstream));
			std::sort(series.begin(), series.end(), [](const std::string &a, const std::string &b) {
				return parse_kernel_version(a).value_or(KernelVersion{}) <
				       parse_kernel_version(b).value_or(KernelVersion{});
			});
			for (const auto &s : series)
				add(s);
			if (auto rc = newest_of(true))
				add(*rc);
			add("host");
		} else {
			add(r);
		}
	}
	return out;
}

bool request_matches(const KernelRequest &r, const DebianKernel &k)
{
	if (r.exact)
		return k.upstream == r.version;
	// "6.1" is 6.1, 6.1.x and 6.1~rcN, not 6.12.
	return k.upstream == r.version || k.upstream.starts_with(r.version + ".") ||
	       k.upstream.starts_with(r.version + "~");
}

std::optional<DebianKernel> choose_kernel(const KernelRequest &r, const std::vector<DebianKernel> &kernels)
{
	// Bootable with modules, then complete, then signed, then newest.
	auto rank = [](const DebianKernel &k) {
		return std::make_tuple(!lacks_kernel_or_modules(k), k.missing.empty(), k.is_signed);
	};
	std::optional<DebianKernel> best;
	for (const auto &k : kernels)
		if (request_matches(r, k) &&
		    (!best || rank(*best) < rank(k) || (rank(*best) == rank(k) && kernel_older(*best, k))))
			best = k;
	return best;
}

void mark_missing_packages(std::vector<DebianKernel> &kernels, const std::vector<std::string> &carried)
{
	std::set<std::string> have(carried.begin(), carried.end());
	for (auto &k : kernels) {
		k.missing.clear();
		for (const auto &d : k.depends)
			if (same_build(d.name, abi_of(k.package)) && !have.count(d.name) &&
			    std::find(k.missing.begin(), k.missing.end(), d.name) == k.missing.end())
				k.missing.push_back(d.name);
	}
}

std::vector<DebianKernel> kernels_from_stanzas(const std::vector<DebianArchive::Stanza> &stanzas,
					       const std::vector<DebianArchive::Offer> &offers)
{
	std::vector<DebianKernel> out;
	for (const auto &s : stanzas) {
		std::smatch m;
		if (!std::regex_match(s.package, m, image_name()))
			continue;
		// linux-image-6.12-amd64 only points at linux-image-6.12.117+deb12-amd64, listed itself.
		if (std::any_of(s.depends.begin(), s.depends.end(),
				[](const auto &d) { return d.name.starts_with("linux-image-"); }))
			continue;
		if (std::any_of(out.begin(), out.end(),
				[&](const auto &k) { return k.package == s.package && k.version == s.version; }))
			continue;
		DebianKernel k{s.package, s.version, upstream_version(s.version), "", !m[3].matched, s.depends};
		for (const auto &o : offers)
			if (o.package == k.package && o.version == k.version)
				k.suite += (k.suite.empty() ? "" : ", ") + o.suite;
		out.push_back(k);
	}
	std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return kernel_older(b, a); });
	return out;
}

std::vector<DebianKernel> list_debian_kernels(const std::string &cache_dir)
{
	DebianArchive a(cache_dir);
	a.refresh();
	return kernels_of(a);
}

std::string resolve_debian_kernel(const std::string &request, const std::string &cache_dir)
{
	KernelRequest r = parse_kernel_request(request);
	DebianArchive a(cache_dir);
	return resolve(r, request, a).package;
}

KernelImage fetch_debian_kernel(const std::string &request, const std::string &cache_dir)
{
	KernelRequest r = parse_kernel_request(request);
	DebianArchive a(cache_dir);
	return fetch_debian_build(resolve(r, request, a), request, cache_dir);
}

std::string debian_build_dir(const DebianKernel &k, const std::string &cache_dir)
{
	return (fs::absolute(cache_dir) / cache_name(k)).string();
}

KernelImage fetch_debian_build(const DebianKernel &dk, const std::string &label, const std::string &cache_dir)
{
	fs::path root = debian_build_dir(dk, cache_dir);
	if (!fs::exists(root))
		unpack_kernel(DebianArchive(cache_dir), dk, root);
	try {
		KernelImage k = kernel_in_tree(root.string());
		k.label = label;
		k.package = dk.package;
		k.version = dk.version;
		require_module(k, "veth");
		return k;
	} catch (const std::runtime_error &e) {
		throw std::runtime_error(std::string(e.what()) + (dk.missing.empty() ? "" : "; " + missing_note(dk)));
	}
}

// --- Image and modules on disk -----------------------------------------------

KernelImage kernel_in_tree(const std::string &root)
{
	fs::path r = root;
	KernelImage k;
	// Up to 7.1: boot/vmlinuz-<release>, modules in lib/modules/<release>,
	// from 6.18 in usr/lib/modules/<release>.
	for (const auto &e : dir_entries(r / "boot")) {
		std::string release = release_of_image(e);
		if (release.empty())
			continue;
		k.bzimage = e.string();
		for (const char *m : {"lib/modules", "usr/lib/modules"})
			if (k.modules_dir.empty() && fs::is_directory(r / m / release))
				k.modules_dir = (r / m / release).string();
		return k;
	}
	// From 7.2: usr/lib/modules/<release>/vmlinuz beside its modules.
	for (const char *m : {"usr/lib/modules", "lib/modules"})
		for (const auto &e : dir_entries(r / m))
			if (fs::is_regular_file(e / "vmlinuz")) {
				k.bzimage = (e / "vmlinuz").string();
				k.modules_dir = e.string();
				return k;
			}
	throw std::runtime_error("no kernel image in " + root +
				 " (looked for boot/vmlinuz-*, usr/lib/modules/*/vmlinuz and lib/modules/*/vmlinuz)");
}

KernelImage user_kernel(const std::string &bzimage)
{
	if (!fs::is_regular_file(bzimage))
		throw std::runtime_error("kernel image not found: " + bzimage);
	KernelImage k;
	k.label = "image:" + fs::path(bzimage).filename().string();
	k.bzimage = fs::absolute(bzimage).lexically_normal().string();
	k.modules_dir = modules_beside(k.bzimage);
	require_module(k, "veth");
	return k;
}

std::string find_module(const KernelImage &k, const std::string &name)
{
	std::error_code ec;
	if (k.modules_dir.empty() || !fs::is_directory(k.modules_dir, ec))
		return "";
	for (auto it = fs::recursive_directory_iterator(k.modules_dir, ec); !ec && it != fs::recursive_directory_iterator();
	     it.increment(ec)) {
		std::string f = it->path().filename().string();
		for (const char *ext : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"})
			if (f == name + ext)
				return it->path().string();
	}
	return "";
}

bool module_builtin(const KernelImage &k, const std::string &name)
{
	if (!k.modules_dir.empty())
		for (const auto &l : lines(read_file(fs::path(k.modules_dir) / "modules.builtin")))
			if (l == name + ".ko" || l.ends_with("/" + name + ".ko"))
				return true;
	std::string builtin = config_symbol(name) + "=y";
	for (const auto &c : kernel_configs(k))
		for (const auto &l : lines(read_file(c)))
			if (l == builtin)
				return true;
	return false;
}

std::string require_module(const KernelImage &k, const std::string &name)
{
	std::string m = find_module(k, name);
	if (!m.empty() || module_builtin(k, name))
		return m;
	std::string configs;
	for (const auto &c : kernel_configs(k))
		configs += (configs.empty() ? "" : ", ") + c.string();
	throw std::runtime_error("kernel " + k.label + " (" + k.bzimage + "): no " + name + " module (" + name +
				 ".ko[.xz|.zst|.gz]) in " + where_modules_were_sought(k) + ", and neither " +
				 (k.modules_dir.empty() ? std::string("a modules.builtin")
							: (fs::path(k.modules_dir) / "modules.builtin").string()) +
				 " nor " + config_symbol(name) + "=y in " + configs +
				 " says it is built in; the guest could not create its interfaces");
}

} // namespace xdplab
