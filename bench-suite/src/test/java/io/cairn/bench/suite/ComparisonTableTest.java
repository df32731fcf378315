package io.cairn.bench.suite;

import static io.cairn.bench.suite.TestResults.higher;
import static io.cairn.bench.suite.TestResults.lower;
import static io.cairn.bench.suite.TestResults.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonTableTest {
    private static final Comparison C = Comparison.of(List.of(
            result("local", higher("sequential write", 1234.5), lower("random read p99", 95.25)),
            result("bindfs", higher("sequential write", 617.25), lower("random read p99", 190.5))), "bindfs");

    @Test
    void textAlignsNamesLeftAndNumbersRight() {
        assertThat(ComparisonTable.text(C)).isEqualTo("""
                  figure                   unit   better  local  bindfs  local/bindfs
                  sequential write         MiB/s  higher  1,235     617         2.00x
                  random read p99          µs     lower    95.3     191         2.00x
                  checksum sha256 matches  check  yes       yes     yes
                Ratios: times better than bindfs (value/baseline where higher is better, baseline/value where lower is better; above 1 = better).
                """);
    }

    @Test
    void markdownHasAHeaderRuleWithNumbersRightAligned() {
        String md = ComparisonTable.markdown(C);
        assertThat(md.lines().toList().subList(0, 3)).containsExactly(
                "| figure | unit | better | local | bindfs | local/bindfs |",
                "|---|---|---|---:|---:|---:|",
                "| sequential write | MiB/s | higher | 1,235 | 617 | 2.00x |");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            12345.6 | 12,346
            123.4   | 123
            12.34   | 12.3
            1.234   | 1.23
            0       | 0.00
            0.01234 | 0.0123
            null    | -
            """)
    void numbersKeepThreeSignificantDigits(Double v, String text) {
        assertThat(ComparisonTable.number(v)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            2.0     | 2.00x
            0.125   | 0.13x
            0.001   | <0.01x
            12.34   | 12.3x
            null    | -
            """)
    void ratiosEndInX(Double r, String text) {
        assertThat(ComparisonTable.ratio(r)).isEqualTo(text);
    }
}
