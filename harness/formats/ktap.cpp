#include "ktap.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace xdplab {

namespace {

// A description or diagnostic on one line: KTAP's descriptions cannot hold
// '#', and a line break would start a line of another kind.
std::string one_line(std::string s, size_t limit = 400)
{
	for (char &c : s)
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
	if (s.size() > limit)
		s = s.substr(0, limit) + " ...";
	return s;
}

std::string description(std::string s)
{
	std::replace(s.begin(), s.end(), '#', '_');
	return one_line(s);
}

// One node of the tree: a leaf (a subtest) or a group of nodes.
struct Node {
	std::string name;
	const SubtestResult *leaf = nullptr;
	std::string header; // a group's diagnostic line, after its nested plan
	std::vector<Node> children;
};

enum class Outcome { Ok, NotOk, Skip };

Outcome outcome(const Node &n)
{
	if (n.leaf) {
		switch (n.leaf->verdict) {
		case Verdict::Confirmed: return Outcome::Ok;
		case Verdict::Deviates:
		case Verdict::Error: return Outcome::NotOk;
		case Verdict::Skipped:
		case Verdict::Unpinned: return Outcome::Skip;
		}
	}
	bool all_skipped = !n.children.empty();
	for (const auto &c : n.children) {
		Outcome o = outcome(c);
		if (o == Outcome::NotOk)
			return Outcome::NotOk;
		all_skipped = all_skipped && o == Outcome::Skip;
	}
	return all_skipped ? Outcome::Skip : Outcome::Ok;
}

// The key observation and the expectation's basis, before the result line.
void leaf_diagnostics(std::ostream &out, const std::string &indent, const SubtestResult &r)
{
	if (r.verdict == Verdict::Skipped)
		return; // the reason is on the result line
	if (!r.observations.empty())
		out << indent << "# observed: " << one_line(r.observations.dump()) << "\n";
	if (r.verdict == Verdict::Deviates && !r.expected.empty())
		out << indent << "# expected: " << one_line(r.expected.dump()) << "\n";
	if (r.verdict == Verdict::Deviates && !r.reason.empty())
		out << indent << "# deviates: " << one_line(r.reason) << "\n";
	if (!r.basis.empty())
		out << indent << "# basis: " << one_line(r.basis, 200) << "\n";
	if (auto f = r.evidence.find("pcap_file"); f != r.evidence.end() && f->is_string())
		out << indent << "# frames: " << f->get<std::string>() << "\n";
}

std::string result_line(const Node &n, size_t number)
{
	Outcome o = outcome(n);
	std::string line = (o == Outcome::NotOk ? "not ok " : "ok ") + std::to_string(number) + " " + description(n.name);
	if (n.leaf) {
		const SubtestResult &r = *n.leaf;
		if (r.verdict == Verdict::Error)
			line += " # ERROR " + one_line(r.reason);
		else if (r.verdict == Verdict::Skipped)
			line += " # SKIP " + one_line(r.reason);
		else if (r.verdict == Verdict::Unpinned)
			line += " # SKIP unpinned: " + one_line(r.reason);
	} else if (o == Outcome::Skip) {
		line += " # SKIP every subtest skipped";
	}
	return line;
}

// A level of tests: its version line and plan, then each test's lines (a
// group's own diagnostics and nested level, or a leaf's diagnostics) and its
// result line.
void write_level(std::ostream &out, const std::vector<Node> &tests, const std::string &indent,
		 const std::string &header = "")
{
	out << indent << "KTAP version 1\n" << indent << "1.." << tests.size() << "\n";
	if (!header.empty())
		out << indent << "# " << one_line(header) << "\n";
	size_t number = 1;
	for (const auto &t : tests) {
		if (t.leaf) {
			leaf_diagnostics(out, indent, *t.leaf);
		} else {
			write_level(out, t.children, indent + "  ", t.header);
		}
		out << indent << result_line(t, number++) << "\n";
	}
}

// Experiments in the order they first appear, their subtests in the results' order.
std::vector<Node> experiments_of(const RunResults &run)
{
	std::vector<Node> out;
	std::map<std::string, size_t> at;
	for (const auto &r : run.experiments) {
		auto [it, fresh] = at.emplace(r.id, out.size());
		if (fresh) {
			Node e{.name = r.id};
			if (auto c = run.catalog.find(r.id); c != run.catalog.end() && c->is_object())
				if (auto t = c->find("title"); t != c->end() && t->is_string())
					e.header = r.id + ": " + t->get<std::string>();
			out.push_back(std::move(e));
		}
		out[it->second].children.push_back(Node{.name = r.subtest, .leaf = &r});
	}
	return out;
}

std::string kernel_line(const RunResults &run)
{
	return "xdplab on kernel " + run.kernel.release + " (" + run.kernel.version.str() + ")";
}

} // namespace

std::string to_ktap(const std::vector<const RunResults *> &runs)
{
	std::ostringstream out;
	if (runs.size() == 1) {
		write_level(out, experiments_of(*runs[0]), "", kernel_line(*runs[0]));
		return out.str();
	}
	std::vector<Node> kernels; // a matrix: kernels, then experiments, then subtests
	for (const RunResults *run : runs)
		kernels.push_back(Node{.name = run->kernel.release,
				       .header = kernel_line(*run),
				       .children = experiments_of(*run)});
	write_level(out, kernels, "", "xdplab on " + std::to_string(runs.size()) + " kernels");
	return out.str();
}

std::string to_ktap(const RunResults &run)
{
	return to_ktap(std::vector<const RunResults *>{&run});
}

} // namespace xdplab
