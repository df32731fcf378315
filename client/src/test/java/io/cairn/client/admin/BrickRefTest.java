package io.cairn.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrickRefTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            host1:/data/b1            | host1     | 0    | /data/b1
            10.0.0.5:7100:/data/b1    | 10.0.0.5  | 7100 | /data/b1
            node-2.example:/b         | node-2.example | 0 | /b
            [::1]:7100:/data/b1       | [::1]     | 7100 | /data/b1
            [fe80::1]:/x              | [fe80::1] | 0    | /x
            """)
    void bricksParse(String text, String host, int port, String path) throws Exception {
        BrickRef b = BrickRef.parse(text);
        assertThat(b).isEqualTo(new BrickRef(host, port, path));
        assertThat(b.toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            host:relative          | the path after ':' is not absolute
            nohostpath             | it names no host and path
            /data/b1               | it names no host
            :/data/b1              | it names no host
            host:0:/data/b1        | '0' is not a port
            host:http:/data/b1     | 'http' is not a port
            ho st:/data/b1         | 'ho st' is not a host name or address
            """)
    void malformedBricksSayWhatIsWrongAndTheForm(String text, String why) {
        assertThatThrownBy(() -> BrickRef.parse(text)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).startsWith("invalid brick '" + text + "': " + why)
                    .endsWith("use HOST:/ABSOLUTE/PATH or HOST:PORT:/ABSOLUTE/PATH, e.g. 10.0.0.5:/data/brick1");
        });
    }
}
