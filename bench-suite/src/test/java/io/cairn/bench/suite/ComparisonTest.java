package io.cairn.bench.suite;

import static io.cairn.bench.suite.TestResults.higher;
import static io.cairn.bench.suite.TestResults.lower;
import static io.cairn.bench.suite.TestResults.result;
import static io.cairn.bench.suite.TestResults.withNotes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonTest {
    @ParameterizedTest(name = "{0}: value {1} against baseline {2} = {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            HIGHER | 200  | 100  | 2.0
            HIGHER | 50   | 100  | 0.5
            HIGHER | 0    | 100  | 0.0
            HIGHER | 100  | 0    | null
            LOWER  | 50   | 100  | 2.0
            LOWER  | 400  | 100  | 0.25
            LOWER  | 0    | 100  | null
            LOWER  | 100  | 0    | 0.0
            HIGHER | null | 100  | null
            LOWER  | 100  | null | null
            """)
    void ratioIsTimesBetterThanTheBaseline(Better better, Double value, Double base, Double expected) {
        assertThat(Comparison.ratio(better, value, base)).isEqualTo(expected);
    }

    @Test
    void rowsFollowTheSuiteAndMissingFiguresStayEmpty() {
        Comparison c = Comparison.of(List.of(
                result("local", higher("sequential write", 1000), lower("random read p99", 100)),
                result("bindfs", higher("sequential write", 500), lower("random read p99", 200), higher("ls-l cold", 10)),
                result("gluster", higher("sequential write", 125), lower("random read p99", 800))), "bindfs");
        assertThat(c.labels()).containsExactly("local", "bindfs", "gluster");
        assertThat(c.compared()).containsExactly("local", "gluster");
        assertThat(c.baselineIndex()).isEqualTo(1);
        assertThat(c.rows()).extracting(Comparison.Row::key).containsExactly("sequential write", "random read p99", "ls-l cold");
        assertThat(c.rows().get(0).ratios()).containsExactly(2.0, null, 0.25);
        assertThat(c.rows().get(1).ratios()).containsExactly(2.0, null, 0.25);
        assertThat(c.rows().get(2).values()).containsExactly(null, 10.0, null);
        assertThat(c.rows().get(2).ratios()).containsExactly(null, null, null);
        assertThat(c.checks()).containsExactly(new Comparison.Check("checksum sha256 matches", List.of(true, true, true)));
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void theFirstResultIsTheDefaultBaseline() {
        Comparison c = Comparison.of(List.of(result("a", higher("x y", 1)), result("b", higher("x y", 3))), null);
        assertThat(c.baseline()).isEqualTo("a");
        assertThat(c.rows().get(0).ratios()).isEqualTo(Arrays.asList(null, 3.0));
    }

    @Test
    void undroppedCachesAreNoted() {
        Comparison c = Comparison.of(List.of(result("a", SuiteSizes.quick(), false, higher("x y", 1))), "a");
        assertThat(c.notes()).containsExactly(
                "a: caches not dropped (disabled); its read figures may come from the page cache");
    }

    @Test
    void workloadNotesFollowAndANoteSharedByResultsIsShownOnce() {
        Comparison c = Comparison.of(List.of(
                withNotes(result("local"), "git: git version 2.39.5"),
                withNotes(result("bindfs"), "git: git version 2.39.5"),
                withNotes(result("gluster"), "git: skipped: 'git' is not on PATH")), "bindfs");
        assertThat(c.notes()).containsExactly("local, bindfs: git: git version 2.39.5", "gluster: git: skipped: 'git' is not on PATH");
        assertThat(ComparisonTable.text(c)).contains("\nNote: local, bindfs: git: git version 2.39.5\n");
    }

    @Test
    void resultsThatCannotBeComparedAreRefused() {
        assertThatThrownBy(() -> Comparison.of(List.of(), null)).hasMessage("no results to compare");
        assertThatThrownBy(() -> Comparison.of(List.of(result("a"), result("a")), null))
                .hasMessage("two results are labelled 'a': run the suite again with distinct --label values");
        assertThatThrownBy(() -> Comparison.of(List.of(result("a"), result("b")), "c"))
                .hasMessage("no result is labelled 'c'; labels: a, b");
        assertThatThrownBy(() -> Comparison.of(List.of(result("a"), result("b", SuiteSizes.full(), true)), null))
                .hasMessage("'b' was taken with the full sizes and 'a' with the quick sizes: "
                        + "compare results taken at the same sizes (all --quick or none)");
    }
}
