package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick suite on a temp directory: every workload produces its figures, the result file
 * parses, and nothing is left behind. Caches are not dropped (that would slow down everything
 * else on the machine) and no timing is asserted. The git workload runs where git is on PATH
 * (as on the project's machines) and is otherwise expected to skip with a note.
 */
class SuiteSmokeTest {
    private static final boolean GIT = gitOnPath();

    @Test
    void theQuickSuiteProducesEveryFigureAndCleansUp(@TempDir Path target) throws Exception {
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER).run(target, "tmp");

        Set<String> keys = r.figures().stream().map(Figure::key).collect(Collectors.toSet());
        List<String> expected = new ArrayList<>(List.of(
                "sequential write", "sequential read",
                "random read IOPS", "random read p50", "random read p99",
                "random write IOPS", "random write p50", "random write p99",
                "small-files create", "small-files stat", "small-files read", "small-files delete",
                "directories mkdir", "directories rename", "directories rmdir",
                "ls-l cold", "ls-l warm",
                "checksum round trip"));
        if (GIT) {
            expected.add("git init+add+commit");
        }
        assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.figures()).allSatisfy(f -> assertThat(f.value()).isPositive().isFinite());
        for (String w : SuiteRunner.standard().stream().map(Workload::name).toList()) {
            if (GIT || !w.equals("git")) {
                assertThat(keys).as("figures of " + w).anyMatch(k -> k.startsWith(w + " "));
            }
        }
        assertThat(r.checks()).containsEntry("checksum sha256 matches", true);
        assertThat(r.checksPassed()).as(r.checks().toString()).isTrue();
        assertThat(r.cachesDropped()).isFalse();
        assertThat(r.notes()).singleElement(as(STRING)).startsWith(GIT ? "git: git version " : "git: skipped: ");

        assertThat(ResultJson.read(ResultJson.write(r))).isEqualTo(r);
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).as("left behind in the target").isEmpty();
        }
    }

    @Test
    void aSelectionRunsOnlyThoseWorkloadsInSuiteOrder(@TempDir Path target) throws Exception {
        assertThat(SuiteRunner.select(List.of("parallel-creates", "git", "ls-l", "tar", "directories")))
                .extracting(Workload::name).containsExactly("directories", "ls-l", "git", "tar", "parallel-creates");
        assertThat(SuiteRunner.standard()).extracting(Workload::name).doesNotContain("tar", "parallel-creates");
        assertThatThrownBy(() -> SuiteRunner.select(List.of("fsck")))
                .hasMessage("no workload 'fsck'; workloads: sequential, random, small-files, directories, ls-l, checksum, git,"
                        + " tar, parallel-creates");
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                SuiteRunner.select(List.of("directories"))).run(target, "tmp");
        assertThat(r.figures()).extracting(Figure::workload).containsOnly("directories");
    }

    @Test
    void theGitWorkloadCommitsEveryFileOfItsTree(@TempDir Path target, @TempDir Path homes) throws Exception {
        assumeTrue(GIT, "git is not on PATH");
        assertThat(SuiteRunner.select(List.of("git"))).singleElement().isInstanceOf(GitCommit.class);
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new GitCommit("git", homes))).run(target, "tmp");

        assertThat(r.figures()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("git init+add+commit");
            assertThat(f.unit()).isEqualTo("s");
            assertThat(f.better()).isEqualTo(Better.LOWER);
            assertThat(f.value()).isPositive().isFinite();
        });
        assertThat(r.checks()).containsExactly(entry("git commit holds every file", true), entry("git fsck", true));
        try (Stream<Path> left = Files.list(homes)) {
            assertThat(left).as("git's HOME left behind").isEmpty();
        }
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).as("left behind in the target").isEmpty();
        }
    }

    @Test
    void theTreeIsTheSameEveryTimeAndSpreadOverDirectories(@TempDir Path a, @TempDir Path b) throws Exception {
        List<String> paths = GitCommit.writeTree(context(a), 100);
        assertThat(GitCommit.writeTree(context(b), 100)).isEqualTo(paths);
        assertThat(paths).hasSize(100).doesNotHaveDuplicates().isSorted()
                .anyMatch(p -> !p.contains("/")).anyMatch(p -> p.startsWith("src/")).anyMatch(p -> p.startsWith("test/"));
        for (String p : paths) {
            byte[] bytes = Files.readAllBytes(a.resolve(p));
            assertThat(bytes.length).as(p).isBetween(1024, 8 * 1024);
            assertThat(bytes).as(p).isEqualTo(Files.readAllBytes(b.resolve(p)));
        }
    }

    @Test
    void withoutGitTheWorkloadIsSkippedWithANote(@TempDir Path target, @TempDir Path homes) throws Exception {
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new GitCommit("cairn-no-such-git", homes))).run(target, "tmp");
        assertThat(r.figures()).isEmpty();
        assertThat(r.checks()).isEmpty();
        assertThat(r.checksPassed()).isTrue();
        assertThat(r.notes()).containsExactly(
                "git: skipped: 'cairn-no-such-git' is not on PATH; install git to measure init, add and commit of 100 files");
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).as("left behind in the target").isEmpty();
        }
        try (Stream<Path> left = Files.list(homes)) {
            assertThat(left).as("git's HOME left behind").isEmpty();
        }
    }

    private static boolean gitOnPath() {
        try {
            return new ProcessBuilder("git", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static WorkloadContext context(Path dir) {
        return new WorkloadContext(dir, SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER, 1, 1, "git");
    }
}
