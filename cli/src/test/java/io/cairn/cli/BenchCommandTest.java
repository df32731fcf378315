package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.bench.suite.Better;
import io.cairn.bench.suite.Figure;
import io.cairn.bench.suite.Machine;
import io.cairn.bench.suite.ResultJson;
import io.cairn.bench.suite.SuiteResult;
import io.cairn.bench.suite.SuiteSizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** cairn bench: arguments, exit codes and the comparison of result files (the suite itself is tested in bench-suite). */
class BenchCommandTest {
    @TempDir
    Path dir;

    private Path result(String label, SuiteSizes sizes, double write, double p99) throws Exception {
        SuiteResult r = new SuiteResult(label, "/mnt/" + label, "fuse", label, Instant.parse("2026-11-24T18:00:00Z"), 1,
                new Machine("vm", "Linux", "cpu", 2, 1L << 30, "java"), sizes, true, "dropped",
                List.of(new Figure("sequential", "write", write, "MiB/s", Better.HIGHER),
                        new Figure("random", "read p99", p99, "µs", Better.LOWER)),
                Map.of("checksum sha256 matches", true), List.of());
        Path f = dir.resolve(label + ".json");
        Files.writeString(f, ResultJson.write(r));
        return f;
    }

    @Test
    void compareShowsRatiosToTheBaselineAndWritesAChart() throws Exception {
        Path a = result("local", SuiteSizes.quick(), 400, 50);
        Path b = result("bindfs", SuiteSizes.quick(), 200, 100);
        Path svg = dir.resolve("chart.svg");
        Cli.Result r = Cli.withMeta(null).run("bench", "compare", a.toString(), b.toString(), "--baseline", "bindfs",
                "--chart", svg.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("local/bindfs").containsPattern("sequential write +MiB/s +higher +400 +200 +2.00x")
                .containsPattern("random read p99 +µs +lower +50.0 +100 +2.00x");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());  // well-formed
    }

    @Test
    void compareJsonIsForScripts() throws Exception {
        Path a = result("local", SuiteSizes.quick(), 400, 50);
        Path b = result("bindfs", SuiteSizes.quick(), 200, 100);
        Cli.Result r = Cli.withMeta(null).run("bench", "compare", a.toString(), b.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("{\"baseline\":\"local\",\"labels\":[\"local\",\"bindfs\"],\"figures\":[{\"figure\":\"sequential write\"")
                .contains("\"ratios\":{\"bindfs\":0.5}");
    }

    @Test
    void compareRefusesResultsOfDifferentSizes() throws Exception {
        Path a = result("local", SuiteSizes.quick(), 400, 50);
        Path b = result("bindfs", SuiteSizes.full(), 200, 100);
        Cli.Result r = Cli.withMeta(null).run("bench", "compare", a.toString(), b.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cairn: 'bindfs' was taken with the full sizes and 'local' with the quick sizes:"
                + " compare results taken at the same sizes (all --quick or none)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            run --target /no/such/dir --label x                      | 2 | cairn: --target /no/such/dir is not a directory
            run --target /tmp --label 'a b'                         | 2 | cairn: --label 'a b': use 1 to 40 letters
            run --target /tmp --label x --workloads fsck            | 2 | cairn: --workloads: no workload 'fsck'; workloads: sequential,
            run --target /tmp --label x --out /no/such/dir/r.json   | 2 | cairn: --out /no/such/dir/r.json: directory /no/such/dir does not exist
            run --label x                                           | 2 | cairn: Missing required option: '--target=DIR'
            run --target /tmp --label x --second-target /no/such/dir | 2 | cairn: --second-target /no/such/dir is not a directory
            compare /no/such.json                                   | 1 | cairn: /no/such.json: no such file
            """)
    void badInputGetsOneLineNamingTheFix(String args, int code, String message) {
        Cli.Result r = Cli.withMeta(null).run(("bench " + args.replace("'a b'", "a\u0000b")).split(" +"));
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0).replace('\u0000', ' ')).startsWith(message);
    }

    @Test
    void compareOfAFileThatIsNotAResultSaysSo() throws Exception {
        Path f = dir.resolve("other.json");
        Files.writeString(f, "{\"format\": \"something/2\"}");
        Cli.Result r = Cli.withMeta(null).run("bench", "compare", f.toString(), "--baseline", "x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cairn: " + f + ": not a result of 'cairn bench run': format 'something/2' is not "
                + ResultJson.FORMAT + ": run the suite again with this version");
    }

    @Test
    void runOfOneWorkloadPrintsItsFiguresAndNotes() throws Exception {
        boolean git;
        try {
            git = new ProcessBuilder("git", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            git = false;
        }
        assumeTrue(git, "git is not on PATH");
        Path target = Files.createDirectory(dir.resolve("target"));
        Path out = dir.resolve("local.json");
        Cli.Result r = Cli.withMeta(null).run("bench", "run", "--target", target.toString(), "--label", "local", "--quick",
                "--workloads", "git", "--no-drop-caches", "--out", out.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("git init\\+add\\+commit +s +lower +[0-9.]+\n")
                .containsPattern("git commit holds every file +check +yes +yes\n")
                .contains("Note: local: git: git version ");
        assertThat(ResultJson.read(Files.readString(out)).sizes().gitFiles()).isEqualTo(100);
        assertThat(Cli.withMeta(null).run("bench", "run", "--help").out().replaceAll("\\s+", " "))
                .contains("git init, add -A and commit of 500 small files").contains("ls-l, checksum, git (the default suite), tar, parallel-creates.")
                .contains("--second-target=DIR");
    }
}
