package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FsOptionsTest {
    @Test
    void optionsChangeOneSettingEach() throws CairnException {
        FsOptions o = FsOptions.DEFAULTS.with("attr-ttl", "250ms").with("entry-ttl", "0").with("io-timeout", "1m")
                .with("dirty-limit", "64M").with("read-ahead", "1M").with("write-window", "4").with("flush-threshold", "2MiB");
        assertThat(o.attrTtl()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.entryTtl()).isZero();
        assertThat(o.ioTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.dirtyLimit()).isEqualTo(64L << 20);
        assertThat(o.readAhead()).isEqualTo(1 << 20);
        assertThat(o.writeWindow()).isEqualTo(4);
        assertThat(o.flushThreshold()).isEqualTo(2L << 20);
    }

    @ParameterizedTest
    @CsvSource({
            "nope, 1, unknown option 'nope'",
            "attr-ttl, soon, is not a duration",
            "dirty-limit, lots, is not a size",
            "dirty-limit, 1K, too small",
            "flush-threshold, 100, too small",
            "io-timeout, 0, longer than 0",
            "write-window, x, not a whole number"})
    void badValuesAreRefusedWithTheFix(String key, String value, String message) {
        assertThatThrownBy(() -> FsOptions.DEFAULTS.with(key, value)).isInstanceOf(CairnException.class)
                .hasMessageContaining(message);
    }
}
