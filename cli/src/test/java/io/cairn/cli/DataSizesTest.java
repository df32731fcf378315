package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class DataSizesTest {
    @ParameterizedTest
    @CsvSource({"65536,65536", "64KiB,65536", "64k,65536", "1MiB,1048576", "1M,1048576", "64MiB,67108864",
            "64 MiB,67108864", "1GiB,1073741824", "2g,2147483648", "512B,512"})
    void sizesAsPeopleWriteThem(String text, long bytes) {
        assertThat(DataSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"1XB", "MiB", "-1MiB", "1.5MiB", "99999999999999999999"})
    void badSizesSayTheForm(String text) {
        assertThatThrownBy(() -> DataSizes.parse(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageStartingWith("invalid size '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"512,512 B", "65536,64 KiB", "67108864,64 MiB", "1610612736,1.5 GiB"})
    void sizesPrintInTheLargestReadableUnit(long bytes, String text) {
        assertThat(DataSizes.format(bytes)).isEqualTo(text);
    }
}
