package io.cairn.bench.suite;

import static io.cairn.bench.suite.TestResults.higher;
import static io.cairn.bench.suite.TestResults.lower;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultJsonTest {
    private static final SuiteResult RESULT = TestResults.withNotes(TestResults.result("bindfs", SuiteSizes.full(), false,
            higher("sequential write", 812.25), lower("random read p99", 0.000123), higher("ls-l cold", 12345.0)),
            "git: git version 2.39.5");

    @Test
    void aResultSurvivesARoundTrip() {
        assertThat(ResultJson.read(ResultJson.write(RESULT))).isEqualTo(RESULT);
    }

    @Test
    void theFileNamesItsFormatFirst() {
        assertThat(ResultJson.write(RESULT)).startsWith("{\n  \"format\": \"" + ResultJson.FORMAT + "\",\n  \"label\": \"bindfs\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            "format": "cairn-bench-result/1"           | "format": "other/9"             | format 'other/9' is not cairn-bench-result/1
            "label": "bindfs",                         | ``                              | 'label' is missing
            "cores": 2                                 | "cores": "two"                  | 'machine.cores' is not a number
            "better": "lower"                          | "better": "sideways"            | figures[1].better is 'sideways', not higher or lower
            "date": "2026-11-24T18:00:00Z"             | "date": "yesterday"             | 'date' is not an ISO-8601 instant: yesterday
            "checksum sha256 matches": true            | "checksum sha256 matches": 1    | checks.checksum sha256 matches is not true or false
            "git: git version 2.39.5"                  | 7                               | notes[0] is not a string
            """)
    void aDamagedFileSaysWhatIsWrong(String good, String bad, String message) {
        String text = ResultJson.write(RESULT);
        assertThat(text).contains(good);
        assertThatThrownBy(() -> ResultJson.read(text.replace(good, bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void aResultFromBeforeTheGitWorkloadReadsWithTheStandardGitSizeAndNoNotes() {
        String text = ResultJson.write(RESULT);
        String old = text.replace(",\n    \"gitFiles\": 500", "").replace(",\n    \"tarFiles\": 20000", "")
                .replace(",\n    \"parallelFiles\": 2000", "").replaceAll(",\n  \"notes\": \\[[^]]*]", "");
        assertThat(old).doesNotContain("gitFiles").doesNotContain("notes");
        SuiteResult r = ResultJson.read(old);
        assertThat(r.sizes()).isEqualTo(SuiteSizes.full());
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void aResultFromBeforeTheTarAndParallelWorkloadsReadsWithTheirStandardSizes() {
        String old = ResultJson.write(RESULT).replace(",\n    \"tarFiles\": 20000", "")
                .replace(",\n    \"parallelFiles\": 2000", "");
        assertThat(old).doesNotContain("tarFiles").doesNotContain("parallelFiles");
        assertThat(ResultJson.read(old).sizes()).isEqualTo(SuiteSizes.full());
    }

    @Test
    void jsonThatIsNotAnObjectIsNotAResult() {
        assertThatThrownBy(() -> ResultJson.read("[1]")).hasMessage("not a result file: the JSON is not an object");
    }
}
