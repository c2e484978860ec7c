#include "harness/kernel_log.h"
#include "harness/engine/runner.h"

#include <boost/test/unit_test.hpp>

using namespace xdplab;

BOOST_AUTO_TEST_SUITE(kernel_log)

BOOST_AUTO_TEST_CASE(a_warn_report_is_one_splat_after_the_running_subtest)
{
	std::string console = "   [5.10] [3/24] egress-ifindex/native ... confirmed (600 ms)\n"
			      "[   12.3] ------------[ cut here ]------------\n"
			      "[   12.3] WARNING: CPU: 0 PID: 88 at kernel/bpf/devmap.c:123 bq_xmit_all+0x1/0x2\n"
			      "[   12.3] Modules linked in: veth\n"
			      "[   12.3] Call Trace:\n"
			      "[   12.3]  <IRQ>\n"
			      "[   12.3] ---[ end trace 0123 ]---\n"
			      "   [5.10] [4/24] egress-ifindex/generic ... confirmed (600 ms)\n";
	auto s = find_splats(console);
	BOOST_REQUIRE(s.size() == 1u); // the Call Trace line belongs to the same report
	BOOST_TEST(s[0].first_line.find("WARNING: CPU: 0") != std::string::npos);
	BOOST_TEST(s[0].after.find("[3/24] egress-ifindex/native") != std::string::npos);
	BOOST_TEST(s[0].context.find("Call Trace") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(other_kinds)
{
	BOOST_TEST(find_splats("BUG: kernel NULL pointer dereference, address: 0000000000000000\n").size() == 1u);
	BOOST_TEST(find_splats("watchdog: BUG: soft lockup - CPU#0 stuck for 22s!\n").size() == 1u);
	BOOST_TEST(find_splats("rcu: INFO: rcu_sched self-detected stall on CPU\n").size() == 1u);
	BOOST_TEST(find_splats("veth: Peer MTU is too large to set XDP\nxdplab: run 1a2b3c\n").empty());
}

BOOST_AUTO_TEST_CASE(kmsg_records_parse_with_their_time)
{
	auto r = parse_kmsg_record("4,1234,5678901,-;veth: Peer MTU is too large\n SUBSYSTEM=net\n");
	BOOST_REQUIRE(r.has_value());
	BOOST_TEST(r->seq == 1234u);
	BOOST_TEST(r->usec == 5678901u);
	BOOST_TEST(r->text == "veth: Peer MTU is too large");
	BOOST_TEST(!parse_kmsg_record("no separator").has_value());
}

// Two subtests overlap; a splat logged while both run names both, one logged
// after the first ended names only the second, one after both names none.
BOOST_AUTO_TEST_CASE(a_splat_names_the_subtests_running_when_it_was_logged)
{
	KernelLogWatch w; // its own reads of /dev/kmsg add nothing the test looks for
	w.started("a/x");
	w.add_lines_for_test({"WARNING: CPU: 0 PID: 1 at kernel/one.c:1 one+0x1/0x2", "---[ end trace 1 ]---"});
	w.started("b/y");
	w.add_lines_for_test({"BUG: kernel NULL pointer dereference"});
	w.ended("a/x");
	w.add_lines_for_test({"watchdog: BUG: soft lockup - CPU#0 stuck for 22s!"});
	w.ended("b/y");
	w.add_lines_for_test({"rcu: INFO: rcu_sched self-detected stall on CPU"});
	std::vector<Splat> found;
	for (auto &s : w.finish())
		if (s.first_line.find("one.c") != std::string::npos || s.first_line.find("NULL") != std::string::npos ||
		    s.first_line.find("soft lockup - CPU#0 stuck for 22s") != std::string::npos ||
		    s.first_line.find("rcu_sched self-detected") != std::string::npos)
			found.push_back(s);
	BOOST_REQUIRE(found.size() == 4u);
	BOOST_TEST(found[0].running == std::vector<std::string>{"a/x"});
	BOOST_TEST((found[1].running == std::vector<std::string>{"a/x", "b/y"}));
	BOOST_TEST(found[2].running == std::vector<std::string>{"b/y"});
	BOOST_TEST(found[3].running.empty());
}

namespace {

struct ProvokingParams {
	int unused;
};

class ProvokingExperiment : public DeclaredExperiment<ProvokingParams> {
public:
	ProvokingExperiment(std::string id, bool provokes) : DeclaredExperiment(std::move(id), {{"x", {.unused = 0}}}, {})
	{
		if (provokes)
			provokes_kernel_warning("bpf_warn_invalid_xdp_action", "observed by the subtest");
	}
	Plan plan(const ProvokingParams &) const override { return ProcedurePlan{}; }
};

} // namespace

BOOST_AUTO_TEST_CASE(a_provoked_warning_is_not_a_failure_only_while_its_experiment_runs)
{
	std::vector<CatalogEntry> catalog;
	catalog.push_back({std::make_unique<ProvokingExperiment>("provokes", true), {}});
	catalog.push_back({std::make_unique<ProvokingExperiment>("provokes-not", false), {}});
	std::vector<Selection> selection;
	for (auto &c : catalog)
		selection.push_back({&c, c.experiment->subtests()});
	std::string line = "WARNING: CPU: 0 PID: 1 at net/core/filter.c:8000 bpf_warn_invalid_xdp_action+0x5/0x6";
	Splat provoked{line, line + "\n", "", {"provokes/x", "provokes-not/x"}};
	BOOST_TEST(splat_results({provoked}, selection).empty());
	provoked.running = {"provokes-not/x"};
	auto r = splat_results({provoked}, selection);
	BOOST_REQUIRE(r.size() == 1u);
	BOOST_TEST((r[0].verdict == Verdict::Error));
	BOOST_TEST(r[0].reason.find("while running: provokes-not/x") != std::string::npos);
	provoked.running = {}; // "provokes-not/x" is no prefix trick for "provokes"
	BOOST_TEST(splat_results({provoked}, selection).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
