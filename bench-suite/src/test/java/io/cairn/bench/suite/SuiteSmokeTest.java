package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick suite on a temp directory: every workload produces its figures, the result file
 * parses, and nothing is left behind. Caches are not dropped (that would slow down everything
 * else on the machine) and no timing is asserted.
 */
class SuiteSmokeTest {
    @Test
    void theQuickSuiteProducesEveryFigureAndCleansUp(@TempDir Path target) throws Exception {
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER).run(target, "tmp");

        Set<String> keys = r.figures().stream().map(Figure::key).collect(Collectors.toSet());
        assertThat(keys).containsExactlyInAnyOrder(
                "sequential write", "sequential read",
                "random read IOPS", "random read p50", "random read p99",
                "random write IOPS", "random write p50", "random write p99",
                "small-files create", "small-files stat", "small-files read", "small-files delete",
                "directories mkdir", "directories rename", "directories rmdir",
                "ls-l cold", "ls-l warm",
                "checksum round trip");
        assertThat(r.figures()).allSatisfy(f -> assertThat(f.value()).isPositive().isFinite());
        for (String w : SuiteRunner.standard().stream().map(Workload::name).toList()) {
            assertThat(keys).as("figures of " + w).anyMatch(k -> k.startsWith(w + " "));
        }
        assertThat(r.checks()).containsEntry("checksum sha256 matches", true);
        assertThat(r.checksPassed()).as(r.checks().toString()).isTrue();
        assertThat(r.cachesDropped()).isFalse();

        assertThat(ResultJson.read(ResultJson.write(r))).isEqualTo(r);
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).as("left behind in the target").isEmpty();
        }
    }

    @Test
    void aSelectionRunsOnlyThoseWorkloadsInSuiteOrder(@TempDir Path target) throws Exception {
        assertThat(SuiteRunner.select(List.of("ls-l", "directories"))).extracting(Workload::name)
                .containsExactly("directories", "ls-l");
        assertThatThrownBy(() -> SuiteRunner.select(List.of("fsck")))
                .hasMessage("no workload 'fsck'; workloads: sequential, random, small-files, directories, ls-l, checksum");
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                SuiteRunner.select(List.of("directories"))).run(target, "tmp");
        assertThat(r.figures()).extracting(Figure::workload).containsOnly("directories");
    }
}
