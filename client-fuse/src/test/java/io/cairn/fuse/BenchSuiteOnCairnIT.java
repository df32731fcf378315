package io.cairn.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.bench.suite.CacheDropper;
import io.cairn.bench.suite.Progress;
import io.cairn.bench.suite.ResultJson;
import io.cairn.bench.suite.SuiteResult;
import io.cairn.bench.suite.SuiteRunner;
import io.cairn.bench.suite.SuiteSizes;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `cairn bench run --quick` on a real Cairn mount (MiniCluster, size 3): every workload runs and
 * produces figures, every data check holds, the result file parses and nothing is left behind.
 * A smoke test of the runner on our own file system; no timing is asserted.
 */
class BenchSuiteOnCairnIT {
    @Test
    void theQuickSuiteRunsOnACairnMount() throws Exception {
        try (MountFixture m = MountFixture.start(3, 3)) {
            SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER).run(m.root(), "cairn");
            assertThat(r.figures()).isNotEmpty().allSatisfy(f -> assertThat(f.value()).isPositive().isFinite());
            assertThat(r.checksPassed()).as(r.checks().toString()).isTrue();
            assertThat(ResultJson.read(ResultJson.write(r))).isEqualTo(r);
            try (Stream<java.nio.file.Path> left = Files.list(m.root())) {
                assertThat(left.filter(p -> !p.getFileName().toString().startsWith(".cairn-unlinked-")))
                        .as("left behind on the mount").isEmpty();
            }
        }
    }
}
