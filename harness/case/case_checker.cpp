// The readers every section of a case body shares: one value of a given type,
// an address, a link, a program or a map by name, the symbols inside a value.
#include "case_checker.h"

#include "../../netns/address.h"

#include <algorithm>
#include <regex>

namespace xdplab {

namespace {

const std::regex kMac(R"(^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$)");

} // namespace

void CaseChecker::keys(const std::string &p, std::initializer_list<const char *> allowed) const
{
	const json &v = at(p);
	if (!v.is_object())
		fail(p, "expected a mapping");
	for (auto it = v.begin(); it != v.end(); ++it) {
		bool ok = false;
		std::string list;
		for (const char *a : allowed) {
			ok = ok || it.key() == a;
			list += std::string(list.empty() ? "" : ", ") + a;
		}
		if (!ok)
			d.fail_key(p + "/" + pointer_token(it.key()), "unknown key \"" + it.key() + "\" (allowed: " + list + ")");
	}
}

std::string CaseChecker::text(const std::string &p) const
{
	const json &v = at(p);
	if (!v.is_string())
		fail(p, "expected text, found " + v.dump());
	return v.get<std::string>();
}

bool CaseChecker::flag(const std::string &p) const
{
	const json &v = at(p);
	if (!v.is_boolean())
		fail(p, "expected true or false, found " + v.dump());
	return v.get<bool>();
}

long CaseChecker::integer(const std::string &p, long lo, long hi) const
{
	const json &v = at(p);
	if (!v.is_number_integer() || v.get<long>() < lo || v.get<long>() > hi)
		fail(p, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
				v.dump());
	return v.get<long>();
}

std::vector<std::string> CaseChecker::texts(const std::string &p) const
{
	const json &v = at(p);
	std::vector<std::string> out;
	if (v.is_string())
		return {v.get<std::string>()};
	if (!v.is_array())
		fail(p, "expected text or a list of texts");
	for (size_t i = 0; i < v.size(); ++i)
		out.push_back(text(p + "/" + std::to_string(i)));
	return out;
}

void CaseChecker::harness_address(const std::string &p, const std::string &addr, bool cidr) const
{
	auto a = parse_ip(addr);
	if (!a || (cidr && a->prefix < 0))
		fail(p, "\"" + addr + "\" is not an IP address" + (cidr ? " with a prefix (198.18.1.1/24)" : ""));
	if (!is_harness_address(*a))
		fail(p, addr + " is outside the harness's ranges: traffic stays in 198.18.0.0/15 and fd00::/8");
}

bool CaseChecker::is_mac(const std::string &text)
{
	return std::regex_match(text, kMac);
}

std::string CaseChecker::link_names() const
{
	std::string out;
	for (const auto &l : spec.links)
		out += (out.empty() ? "" : ", ") + l.name;
	return out;
}

void CaseChecker::known_link(const std::string &p, const std::string &name) const
{
	if (!spec.link(name))
		fail(p, "no link \"" + name + "\" (links: " + link_names() + ")");
}

ProgramRef CaseChecker::program(const std::string &p, const std::string &ref) const
{
	auto slash = ref.find('/');
	if (slash == std::string::npos)
		fail(p, "a program is named object/program, e.g. chain/xdp_ingress");
	ProgramRef r{ref.substr(0, slash), ref.substr(slash + 1)};
	auto it = shapes.find(r.object);
	if (it == shapes.end())
		fail(p, "no object \"" + r.object + "\" in objects:");
	const auto &progs = it->second.programs;
	if (std::find(progs.begin(), progs.end(), r.program) == progs.end()) {
		std::string list;
		for (const auto &x : progs)
			list += (list.empty() ? "" : ", ") + x;
		fail(p, "object " + r.object + " (" + spec.object(r.object)->file_as_written + ") has no program \"" +
				r.program + "\" (it has: " + list + ")");
	}
	return r;
}

std::pair<std::string, std::string> CaseChecker::map_ref(const std::string &p, const std::string &ref) const
{
	auto slash = ref.find('/');
	if (slash == std::string::npos)
		fail(p, "a map is named object/map, e.g. chain/tx_array");
	std::string obj = ref.substr(0, slash), map = ref.substr(slash + 1);
	auto it = shapes.find(obj);
	if (it == shapes.end())
		fail(p, "no object \"" + obj + "\" in objects:");
	if (!it->second.maps.count(map))
		fail(p, "object " + obj + " has no map \"" + map + "\"");
	return {obj, map};
}

void CaseChecker::symbols(const std::string &p, const json &v) const
{
	for_each_symbol(v, [&](const Symbol &s) {
		if (s.fn == "ifindex" || s.fn == "mac")
			known_link(p, s.arg);
		else if (s.fn == "prog" || s.fn == "prog_id")
			program(p, s.arg);
		else if (s.fn == "ipv4" || s.fn == "ipv6")
			harness_address(p, s.arg, false);
	});
}

} // namespace xdplab
