package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Durations read and written as people write them, each form read back to the same value. */
class DurationsTest {
    @Test
    void everyUnitParsesAndTheShortestExactFormComesBack() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofHours(25))).isEqualTo("25h");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        for (Duration d : new Duration[] {Duration.ZERO, Duration.ofMillis(7), Duration.ofMinutes(61), Duration.ofDays(3)}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }

    @Test
    void otherFormsAreRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> Durations.parse("1w")).isInstanceOf(TypeConversionException.class)
                .hasMessage("invalid duration '1w': use a number and ms, s, m, h or d, e.g. 30s");
        assertThatThrownBy(() -> Durations.parse("PT30S")).isInstanceOf(TypeConversionException.class);
    }
}
