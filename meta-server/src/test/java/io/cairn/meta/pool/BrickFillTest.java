package io.cairn.meta.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.pool.BrickFill.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A brick's fill level from its capacity and free space, against the default 0.85 / 0.95. */
class BrickFillTest {

    @ParameterizedTest(name = "capacity {0} free {1} -> {2}")
    @CsvSource({
            "1000, 1000, OK",
            "1000, 151, OK",
            "1000, 150, NEARFULL",     // 85% used
            "1000, 51, NEARFULL",
            "1000, 50, FULL",          // 95% used
            "1000, 0, FULL",
            "1000, 2000, OK",          // free above capacity (reserved blocks, odd file systems): empty
            "0, 0, OK",                // no heartbeat yet: not known to be full
    })
    void levelByDefaultRatios(long capacity, long free, Level level) {
        assertThat(BrickFill.DEFAULT.level(capacity, free)).isEqualTo(level);
    }

    @ParameterizedTest(name = "nearfull {0} full {1} is refused")
    @CsvSource({"0.9, 0.8", "0, 0.95", "0.85, 1.5", "0.85, 0", "NaN, 0.95"})
    void badRatiosAreRefusedWithTheSettingNames(double nearfull, double full) {
        assertThatThrownBy(() -> new BrickFill(nearfull, full).validate())
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("full-ratio").hasMessageContaining("nearfull-ratio");
    }

    @ParameterizedTest(name = "nearfull {0} full {1} is accepted")
    @CsvSource({"0.85, 0.95", "0.95, 0.95", "0.5, 1"})
    void sensibleRatiosAreAccepted(double nearfull, double full) throws Exception {
        new BrickFill(nearfull, full).validate();
    }
}
