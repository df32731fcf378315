package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void mapsListsAndEscapedStrings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"b\"\\\n\u0001");
        m.put("n", 3);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of(1L, "x"));
        assertThat(Json.of(m)).isEqualTo("{\"name\":\"a \\\"b\\\"\\\\\\n\\u0001\",\"n\":3,\"ok\":true,\"none\":null,\"list\":[1,\"x\"]}");
    }
}
