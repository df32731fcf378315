package io.cairn.cli;

import io.cairn.bench.suite.CacheDropper;
import io.cairn.bench.suite.Comparison;
import io.cairn.bench.suite.ComparisonTable;
import io.cairn.bench.suite.ConsoleProgress;
import io.cairn.bench.suite.KernelCaches;
import io.cairn.bench.suite.Progress;
import io.cairn.bench.suite.RatioChart;
import io.cairn.bench.suite.ResultJson;
import io.cairn.bench.suite.SuiteResult;
import io.cairn.bench.suite.SuiteRunner;
import io.cairn.bench.suite.SuiteSizes;
import io.cairn.bench.suite.Workload;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn bench}: the end-to-end workload suite on any mounted directory (a Cairn mount,
 * bindfs, GlusterFS, local disk), and the side-by-side comparison of its results. The workloads
 * live in the bench-suite module; this class only parses arguments and prints.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a mounted file store with a fixed workload suite and compare results.",
        subcommands = {BenchCommand.Run.class, BenchCommand.Compare.class})
final class BenchCommand {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the workload suite in a fresh directory under --target (removed afterwards) and write the results as JSON.",
                    "Sequential 1 MiB write of 1 GiB with fsync and cold read back; 4 KiB random reads and writes (IOPS, p50, p99);"
                            + " create/stat/read/delete of 5,000 4 KiB files; mkdir/rename/rmdir of 2,000 directories;"
                            + " ls -l of 10,000 entries; a SHA-256 round trip; git init, add -A and commit of 500 small files"
                            + " (skipped with a note if git is not on PATH). Caches are dropped before reads when permitted (root).",
                    "Named with --workloads only: tar (tar xf of 20,000 small files, then rm -rf) and parallel-creates"
                            + " (4 KiB creates by 1 writer, then by 4 at once in 4 directories, and over 2 mounts with --second-target)."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--target", required = true, paramLabel = "DIR",
                description = "A directory of the file store to measure, e.g. its mount point.")
        Path target;

        @Option(names = "--second-target", paramLabel = "DIR",
                description = "The --target directory seen through a second mount (of the same volume): half of the parallel writers use it.")
        Path secondTarget;

        @Option(names = "--label", required = true, paramLabel = "NAME",
                description = "The name of this target in results and comparisons, e.g. cairn, bindfs, gluster.")
        String label;

        @Option(names = "--quick", description = "Scaled-down sizes (64 MiB, 500 files, 100 for git, 2,000 for tar) for a smoke test.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the results (default: bench-NAME.json).")
        Path out;

        @Option(names = "--no-drop-caches",
                description = "Do not drop the kernel's caches before reads (they are machine-wide; reads may then be served from memory).")
        boolean keepCaches;

        @Option(names = "--workloads", split = ",", paramLabel = "NAME,...",
                description = "Run only these workloads: sequential, random, small-files, directories, ls-l, checksum, git (the default suite), tar, parallel-creates.")
        List<String> only;

        @Option(names = "--json", description = "Print the results as JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<Workload> workloads;
            try {
                workloads = only == null ? SuiteRunner.standard() : SuiteRunner.select(only);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--workloads: " + e.getMessage());
            }
            if (!LABEL.matcher(label).matches()) {
                throw new ParameterException(spec.commandLine(), "--label '" + label
                        + "': use 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. --label bindfs");
            }
            if (secondTarget != null && !Files.isDirectory(secondTarget)) {
                throw new ParameterException(spec.commandLine(), "--second-target " + secondTarget
                        + " is not a directory: pass the --target directory as seen through a second mount");
            }
            Path file = out != null ? out : Path.of("bench-" + label + ".json");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new ParameterException(spec.commandLine(), "--out " + file + ": directory " + parent
                        + " does not exist; create it or write elsewhere");
            }
            SuiteSizes sizes = quick ? SuiteSizes.quick() : SuiteSizes.full();
            Progress progress = interactive() ? new ConsoleProgress(System.err) : Progress.NONE;
            CacheDropper caches = keepCaches ? CacheDropper.NEVER : new KernelCaches();
            SuiteResult result;
            try {
                SuiteRunner runner = new SuiteRunner(sizes, progress, caches, workloads);
                result = (secondTarget == null ? runner : runner.secondTarget(secondTarget)).run(target, label);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--target " + e.getMessage());
            } catch (IOException e) {
                throw new CairnException(ErrorCode.IO_ERROR, "the suite failed on " + target + ": " + e.getMessage(), e);
            }
            String text = ResultJson.write(result);
            Files.writeString(file, text);
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                o.print(text);
            } else {
                o.print(ComparisonTable.text(Comparison.of(List.of(result), label)));
                o.printf("%s on %s (%s), %s sizes, %.0f s; %s%n", label, result.target(), result.fsType(),
                        sizes.name(), result.seconds(), result.cachesDropped() ? "caches dropped before reads" : result.cacheNote());
                o.println("Results: " + file + "   Compare: ./cairn bench compare " + file + " OTHER.json...");
            }
            o.flush();
            if (!result.checksPassed()) {
                List<String> failed = result.checks().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
                throw new CairnException(ErrorCode.IO_ERROR, "data checks failed on " + target + ": " + String.join(", ", failed)
                        + " (the file store returned other bytes or sizes than were written)");
            }
            return 0;
        }

        /** A terminal to draw progress on. From JDK 22 System.console() is not null when redirected: ask isTerminal(). */
        private static boolean interactive() {
            Console c = System.console();
            if (c == null) {
                return false;
            }
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
            } catch (ReflectiveOperationException e) {
                return true;  // JDK 21: a console is a terminal
            }
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Print results side by side, one row per figure, one column per label, and each label's ratio to the baseline.",
                    "A ratio is times better than the baseline (above 1 = better), whether the figure is better higher or lower."})
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RESULTS.json", arity = "1..*", description = "Result files written by 'cairn bench run'.")
        List<Path> files;

        @Option(names = "--baseline", paramLabel = "LABEL", description = "The label ratios are taken against (default: the first file's).")
        String baseline;

        @Option(names = "--chart", paramLabel = "FILE.svg", description = "Also write an SVG bar chart of the ratios.")
        Path chart;

        @Option(names = "--markdown", description = "Print a Markdown table (for docs) instead of aligned columns.")
        boolean markdown;

        @Option(names = "--json", description = "Print the comparison as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<SuiteResult> results = new ArrayList<>();
            for (Path f : files) {
                results.add(read(f));
            }
            if (baseline != null && results.stream().noneMatch(r -> r.label().equals(baseline))) {
                throw new ParameterException(spec.commandLine(), "--baseline " + baseline + ": no result has that label; labels: "
                        + String.join(", ", results.stream().map(SuiteResult::label).toList()));
            }
            Comparison c;
            try {
                c = Comparison.of(results, baseline);
            } catch (IllegalArgumentException e) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
            }
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                o.println(Json.of(toJson(c)));
            } else {
                o.print(markdown ? ComparisonTable.markdown(c) : ComparisonTable.text(c));
            }
            if (chart != null) {
                Files.writeString(chart, RatioChart.svg(c));
                if (!json) {
                    o.println("Chart: " + chart);
                }
            }
            o.flush();
            return 0;
        }

        private static SuiteResult read(Path f) throws CairnException {
            try {
                return ResultJson.read(Files.readString(f));
            } catch (NoSuchFileException e) {
                throw new CairnException(ErrorCode.NOT_FOUND, f + ": no such file; pass result files written by 'cairn bench run --out'");
            } catch (IOException e) {
                throw new CairnException(ErrorCode.IO_ERROR, f + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, f + ": not a result of 'cairn bench run': " + e.getMessage());
            }
        }

        private static Map<String, Object> toJson(Comparison c) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("baseline", c.baseline());
            j.put("labels", c.labels());
            List<Object> rows = new ArrayList<>();
            for (Comparison.Row r : c.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("figure", r.key());
                row.put("unit", r.unit());
                row.put("better", r.better().word());
                Map<String, Object> values = new LinkedHashMap<>();
                Map<String, Object> ratios = new LinkedHashMap<>();
                for (int i = 0; i < c.labels().size(); i++) {
                    values.put(c.labels().get(i), r.values().get(i));
                    if (i != c.baselineIndex()) {
                        ratios.put(c.labels().get(i), r.ratios().get(i));
                    }
                }
                row.put("values", values);
                row.put("ratios", ratios);
                rows.add(row);
            }
            j.put("figures", rows);
            Map<String, Object> checks = new LinkedHashMap<>();
            for (Comparison.Check k : c.checks()) {
                Map<String, Object> byLabel = new LinkedHashMap<>();
                for (int i = 0; i < c.labels().size(); i++) {
                    byLabel.put(c.labels().get(i), k.values().get(i));
                }
                checks.put(k.key(), byLabel);
            }
            j.put("checks", checks);
            j.put("notes", c.notes());
            return j;
        }
    }
}
