package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatenciesTest {
    @ParameterizedTest(name = "p{1} of [{0}] = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            5                        | 50  | 5
            5                        | 99  | 5
            5                        | 100 | 5
            3 1 2                    | 50  | 2
            1 2 3 4                  | 50  | 2
            1 2 3 4                  | 51  | 3
            1 2 3 4                  | 100 | 4
            10 9 8 7 6 5 4 3 2 1     | 90  | 9
            10 9 8 7 6 5 4 3 2 1     | 99  | 10
            10 9 8 7 6 5 4 3 2 1     | 10  | 1
            """)
    void nearestRank(String values, double p, long expected) {
        Latencies l = new Latencies(2);  // smaller than the input: it must grow
        Arrays.stream(values.trim().split("\\s+")).mapToLong(Long::parseLong).forEach(l::record);
        assertThat(l.percentile(p)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void ninetyNinthOfAThousandIgnoresTheTenSlowest() {
        Latencies l = new Latencies(1000);
        for (int i = 1; i <= 1000; i++) {
            l.record(i);
        }
        assertThat(l.percentile(99)).isEqualTo(990);
        assertThat(l.percentile(50)).isEqualTo(500);
        l.record(0);  // recording after a percentile sorts again
        assertThat(l.percentile(100.0 / 1001)).isZero();
    }

    @org.junit.jupiter.api.Test
    void emptyOrOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new Latencies(1).percentile(50)).isInstanceOf(IllegalStateException.class);
        Latencies l = new Latencies(1);
        l.record(1);
        assertThatThrownBy(() -> l.percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> l.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
