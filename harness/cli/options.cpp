#include "options.h"

namespace xdplab::cli {

CommandLine::CommandLine(Options &o)
{
	app.add_option("experiments", o.selectors, "experiment ids or globs, optionally id/subtest (default: all)");
	app.add_flag("--list", o.list, "list experiments: ids, titles, seed, requirements");
	app.add_flag("--lint", o.lint, "check every expectation file against its experiment, then exit");
	app.add_option("--json", o.json_path, "results file (default: results/<kernel release>.json)");
	app.add_option("--junit", o.junit_path, "also write JUnit XML here");
	app.add_option("--ktap", o.ktap_path, "also write the results as KTAP version 1 here (- for stdout; the table then goes to stderr)");
	app.add_option("--pcap", o.run.pcap_dir, "write each case subtest's frames, sent and captured, as DIR/<id>--<subtest>.pcapng");
	app.add_flag("--explain", o.explain, "print the commands that rebuild each selected topology by hand");
	app.add_flag("--keep", o.run.keep, "leave the topology of each selected subtest up, and say how to remove it");
	app.add_flag("--cleanup", o.cleanup, "remove what killed or kept runs left (harness-named objects only)");
	app.add_option("--packets", o.run.packets, "tagged frames per subtest")->check(CLI::Range(1, 4096));
	app.add_option("-j,--jobs", o.run.jobs, "subtests at once (default: six per core, at most 64)")
		->check(CLI::Range(1, 64));
	app.add_option("--settle-ms", o.run.settle_ms,
		       "quiet time after the last frame, only where a subtest measures absence")
		->check(CLI::Range(0, 60000));
	app.add_option("--timeout-ms", o.run.timeout_ms, "how long a subtest's frames may take to be accounted for")
		->check(CLI::Range(100, 600000));
	app.add_option("--expectations", o.expectations_dir, "directory of <id>.json expectation files");
	app.add_option("--results-dir", o.results_dir, "where results, console logs and reports go");
	app.add_flag("--quiet", o.quiet, "no results table (progress still goes to stderr)");
	// One value per occurrence (comma-separated, repeatable): never the positional ids after it.
	app.add_option("--kernels", o.kernels, "kernel matrix: Debian series, exact builds and/or host, e.g. 6.1,6.12.43,host; "
		       "all, lts, newest, boundaries (the builds on either side of every pinned stable boundary)")
		->delimiter(',')
		->allow_extra_args(false);
	app.add_option("--kernel-image", o.kernel_images, "also run in a VM booting this bzImage (repeatable)")
		->allow_extra_args(false);
	app.add_option("--kernel-cache", o.kernel_cache, "where downloaded kernels are unpacked");
	app.add_flag("--list-kernels", o.list_kernels, "list the Debian kernels that can be fetched, with upstream versions");
	app.add_option("--vm-timeout", o.vm_timeout_s, "seconds a guest may take before it counts as hung (default: from the accelerator and the number of subtests)");
	app.add_option("--accel", o.accel, "VM acceleration: auto (probe KVM, fall back to TCG), kvm, tcg")
		->check(CLI::IsMember({"auto", "kvm", "tcg"}));
	app.add_option("--parallel", o.parallel, "VMs at once (default: number of cores)");

	app.add_option("--evidence", o.run.evidence_dir,
		       "write each case subtest's whole evidence (what its jq observations read) into this directory");
	auto *cas = case_subcommand =
		app.add_subcommand("case", "run your own case files: topology, BPF objects, traffic, observations "
					   "and expectations in YAML (README, \"Test your own assumption\")");
	cas->add_option("files", o.case_paths, "case files (.yaml) or directories of them")->required();
	cas->fallthrough(); // --kernels, --json, --explain, --keep, --lint ... as for the catalog
	auto *rep = report_subcommand =
		app.add_subcommand("report", "matrix report from result files (results/report.md, .html, junit)");
	rep->add_option("paths", o.report_paths, "result files or directories (default: results/)");
	rep->add_option("--baseline", o.baseline, "directory of earlier results: list what changed since");
	rep->add_option("--out", o.report_out, "where to write the report (default: the first directory given)");
	rep->add_option("--ktap", o.ktap_path, "also write the results as KTAP version 1 here (- for stdout)");
	rep->add_option("--kcidb", o.kcidb_path, "also write the results as KCIDB I/O JSON (schema v5.3) here");
	rep->add_option("--artifacts-url", o.artifacts_url,
			"the URL the results directory is served at, for the KCIDB file URLs (default: file:// URLs)");
	auto *bis = bisect_subcommand =
		app.add_subcommand("bisect", "the two adjacent Debian builds whose observations of one subtest first differ");
	bis->add_option("subtest", o.bisect_subtest, "<id>/<subtest>")->required();
	bis->add_option("--case", o.case_paths, "the case file the subtest is in (for your own cases)");
	bis->add_option("--good", o.bisect_good, "a build that behaves the old way: series, exact version or rc")->required();
	bis->add_option("--bad", o.bisect_bad, "a build that behaves the new way: series, exact version or rc")->required();
	bis->fallthrough(); // --json, --kernel-cache, --accel, --vm-timeout, --results-dir as for the matrix
	auto *bas = basis_subcommand =
		app.add_subcommand("basis", "for every commit an expectation cites: its mainline release and, per "
					    "Debian series, the first build carrying it (read from the packages' changelogs)");
	bas->add_option("--json", o.basis_json, "also write the JSON here (it always goes to <kernel cache>/basis.json)");
	bas->add_flag("--save", o.basis_save, "also refresh the snapshot the lint uses on a fresh clone, <expectations>/_basis.json");
	bas->fallthrough(); // --kernel-cache, --expectations
	auto *bench = bench_subcommand = app.add_subcommand("bench", "what each XDP feature costs on this kernel (catalog E)");
	bench->add_option("cases", o.bench.cases, "cost cases, names or globs (default: all)");
	bench->add_option("--against", o.bench.against, "measure the same path with another tool too")
		->check(CLI::IsMember({"xdp-bench"}));
	bench->add_option("--repetitions", o.bench.repetitions,
			  "rounds: every case once per round, in a shuffled order")->check(CLI::Range(5, 100));
	bench->add_option("--cpu", o.bench.cpu, "the CPU every injection is pinned to (default: the last online CPU)")
		->check(CLI::NonNegativeNumber);
	bench->fallthrough(); // --results-dir, --kernels, --kernel-cache ... as for the catalog
	bench->add_option("--json", o.bench.json_path, "results file (default: results/<release>-bench.json)");
}

} // namespace xdplab::cli
