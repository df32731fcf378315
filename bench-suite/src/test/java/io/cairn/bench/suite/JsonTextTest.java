package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTextTest {
    @Test
    void valuesSurviveARoundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 µs");
        m.put("number", 1234.5);
        m.put("tiny", 1.0E-7);
        m.put("negative", -3.0);
        m.put("yes", true);
        m.put("none", null);
        m.put("list", Arrays.asList(1.0, "two", List.of(), Map.of()));
        m.put("nested", Map.of("a", 1.0));
        assertThat(JsonText.parse(JsonText.write(m))).isEqualTo(m);
    }

    @Test
    void integersAreWrittenWithoutAFractionAndReadAsDoubles() {
        assertThat(JsonText.write(Map.of("n", 5_000L)).trim()).isEqualTo("{\n  \"n\": 5000\n}");
        assertThat(JsonText.parse("{\"n\": 5000}")).isEqualTo(Map.of("n", 5000.0));
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertThat(JsonText.write(List.of(Double.NaN, Double.POSITIVE_INFINITY)).replaceAll("\\s", "")).isEqualTo("[null,null]");
    }

    @Test
    void escapesAndWhitespaceAreRead() {
        assertThat(JsonText.parse(" { \"a\\u0041\\/\" : [ 1e3 , -0.5E-1 , false ] } "))
                .isEqualTo(Map.of("aA/", List.of(1000.0, -0.05, false)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``               | a value was expected
            {                | a member name in quotes was expected
            {"a" 1}          | ':' was expected
            {"a": 1,}        | a member name in quotes was expected
            [1 2]            | ']' was expected
            "open            | the string is not closed
            tru              | unexpected 't'
            01.              | a digit was expected after '.'
            -                | a digit was expected
            1 2              | text after the value
            "\\x"            | unknown escape \\x
            """)
    void badTextSaysWhere(String text, String message) {
        assertThatThrownBy(() -> JsonText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON at offset").hasMessageEndingWith(message);
    }
}
