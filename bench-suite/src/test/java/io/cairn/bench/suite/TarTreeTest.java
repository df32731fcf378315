package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar workload's archive (same bytes every time, a tree tar itself reads back) and the workload on a temp dir. */
class TarTreeTest {
    private static final boolean TAR = Processes.works(List.of("tar", "--version"));

    @Test
    void theArchiveIsTheSameEveryTime(@TempDir Path dir) throws Exception {
        TreeDigest a = SmallTree.writeTar(450, dir.resolve("a.tar"));
        TreeDigest b = SmallTree.writeTar(450, dir.resolve("b.tar"));
        assertThat(Files.readAllBytes(dir.resolve("a.tar"))).isEqualTo(Files.readAllBytes(dir.resolve("b.tar")));
        assertThat(Files.size(dir.resolve("a.tar")) % 10240).as("whole records").isZero();
        assertThat(a.count()).isEqualTo(450);
        assertThat(a.hex()).isEqualTo(b.hex()).isNotEqualTo(SmallTree.writeTar(449, dir.resolve("c.tar")).hex());
    }

    @Test
    void filesAreAFewHundredBytesToAFewKiBOverNestedDirectories() {
        assertThat(SmallTree.leaves(20_000)).isEqualTo(100);
        assertThat(SmallTree.leaves(2_000)).isEqualTo(10);
        assertThat(SmallTree.leaves(1)).isEqualTo(1);
        assertThat(SmallTree.leaf(0)).isEqualTo("tree/d00/e00");
        assertThat(SmallTree.leaf(99)).isEqualTo("tree/d09/e09");
        for (int i = 0; i < 1000; i++) {
            assertThat(SmallTree.content(i).length).isBetween(256, 4096);
        }
        assertThat(SmallTree.content(7)).isEqualTo(SmallTree.content(7)).isNotEqualTo(SmallTree.content(8));
    }

    @Test
    void systemTarExtractsExactlyTheTreeTheDigestDescribes(@TempDir Path dir) throws Exception {
        assumeTrue(TAR, "tar is not on PATH");
        TreeDigest expected = SmallTree.writeTar(300, dir.resolve("t.tar"));
        Path into = Files.createDirectory(dir.resolve("into"));
        Processes.run(into, dir.resolve("out"), "tar", "xf", dir.resolve("t.tar").toString());
        TreeDigest got = TreeDigest.of(into, context(into), 300);
        assertThat(got.count()).isEqualTo(300);
        assertThat(got.hex()).isEqualTo(expected.hex());
        assertThat(into.resolve("tree/d00/e01/f00001.txt")).hasBinaryContent(SmallTree.content(1));

        Files.writeString(into.resolve("tree/d00/e01/f00001.txt"), "changed");
        assertThat(TreeDigest.of(into, context(into), 300).hex()).isNotEqualTo(expected.hex());
    }

    @Test
    void theWorkloadTimesExtractionAndRemovalAndChecksBoth(@TempDir Path target, @TempDir Path scratch) throws Exception {
        assumeTrue(TAR, "tar is not on PATH");
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new TarTree("tar", scratch))).run(target, "tmp");
        assertThat(r.figures()).extracting(Figure::key).containsExactly("tar xf", "tar rm -rf");
        assertThat(r.figures()).allSatisfy(f -> {
            assertThat(f.unit()).isEqualTo("s");
            assertThat(f.better()).isEqualTo(Better.LOWER);
            assertThat(f.value()).isPositive().isFinite();
        });
        assertThat(r.checks()).containsOnlyKeys("tar xf extracted every file", "tar xf contents match",
                "tar rm -rf removed the tree").doesNotContainValue(false);
        assertLeftEmpty(scratch, target);
    }

    @Test
    void withoutTarTheWorkloadIsSkippedWithANoteNamingThePackage(@TempDir Path target, @TempDir Path scratch) throws Exception {
        SuiteResult r = new SuiteRunner(SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER,
                List.of(new TarTree("cairn-no-such-tar", scratch))).run(target, "tmp");
        assertThat(r.figures()).isEmpty();
        assertThat(r.checks()).isEmpty();
        assertThat(r.notes()).containsExactly("tar: skipped: 'cairn-no-such-tar' is not on PATH;"
                + " install the Debian package tar to measure tar xf and rm -rf of 2000 files");
        assertLeftEmpty(scratch, target);
    }

    private static void assertLeftEmpty(Path... dirs) throws Exception {
        for (Path d : dirs) {
            try (Stream<Path> left = Files.list(d)) {
                assertThat(left).as("left behind in " + d).isEmpty();
            }
        }
    }

    private static WorkloadContext context(Path dir) {
        return new WorkloadContext(dir, SuiteSizes.quick(), Progress.NONE, CacheDropper.NEVER, 1, 1, "tar");
    }
}
