package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parallel-creates workload on a temp dir, with a symbolic link standing in for a second mount. */
class ParallelCreatesTest {
    @Test
    void halfTheWritersUseTheSecondMount() {
        assertThat(ParallelCreates.dirs(Path.of("/a"), Path.of("/b"), "m"))
                .containsExactly(Path.of("/a/m0"), Path.of("/a/m1"), Path.of("/b/m2"), Path.of("/b/m3"));
    }

    @Test
    void withASecondMountItMeasuresBothAndTheRatiosAreOfTheRates(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        Path second = Files.createSymbolicLink(tmp.resolve("second"), target);
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new ParallelCreates())).secondTarget(second).run(target, "tmp");

        Map<String, Double> f = r.figures().stream().collect(Collectors.toMap(Figure::metric, Figure::value));
        assertThat(f).containsOnlyKeys("1 writer", "4 writers", "4 writers / 1 writer",
                "4 writers 2 mounts", "4 writers 2 mounts / 1 writer");
        assertThat(f.values()).allSatisfy(v -> assertThat(v).isPositive().isFinite());
        assertThat(f.get("4 writers / 1 writer")).isCloseTo(f.get("4 writers") / f.get("1 writer"), within());
        assertThat(f.get("4 writers 2 mounts / 1 writer")).isCloseTo(f.get("4 writers 2 mounts") / f.get("1 writer"), within());
        Map<String, String> units = r.figures().stream().collect(Collectors.toMap(Figure::metric, Figure::unit));
        assertThat(units).containsEntry("1 writer", "creates/s").containsEntry("4 writers / 1 writer", "x");
        assertThat(r.checks()).containsOnlyKeys("parallel-creates 1 writer made every file",
                "parallel-creates 4 writers made every file", "parallel-creates 4 writers 2 mounts made every file")
                .doesNotContainValue(false);
        assertThat(r.notes()).isEmpty();
        try (var left = Files.list(target)) {
            assertThat(left).as("left behind in the target").isEmpty();
        }
    }

    @Test
    void withoutASecondMountTheTwoMountFigureIsSkippedWithANote(@TempDir Path target) throws Exception {
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new ParallelCreates())).run(target, "tmp");
        assertThat(r.figures()).extracting(Figure::metric).containsExactly("1 writer", "4 writers", "4 writers / 1 writer");
        assertThat(r.notes()).containsExactly("parallel-creates: the two-mount figure is skipped:"
                + " no second mount of the target was given (--second-target)");
    }

    @Test
    void aSecondTargetThatIsNotTheSameDirectoryIsRefused(@TempDir Path target, @TempDir Path other) {
        SuiteRunner runner = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new ParallelCreates())).secondTarget(other);
        assertThatThrownBy(() -> runner.run(target, "tmp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(other + " (the second target) does not show " + target + "/cairn-bench-")
                .hasMessageEndingWith(": pass a second mount of the same directory");
        assertThat(target).isEmptyDirectory();
    }

    private static Offset<Double> within() {
        return Offset.offset(1e-9);
    }
}
