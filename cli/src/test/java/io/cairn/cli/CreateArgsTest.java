package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.admin.BrickRef;
import io.cairn.client.admin.VolumeSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateArgsTest {
    static List<String> words(String text) {
        return List.of(text.trim().split("\\s+"));
    }

    @Test
    void theGlusterGrammarWithCephSettings() {
        VolumeSpec s = CreateArgs.parse("vol1", words("replica 3 min-size 1 chunk-size 1MiB h1:/b1 h2:7100:/b1 h3:/b1 force"));
        assertThat(s).isEqualTo(new VolumeSpec("vol1", 3, 1, 1 << 20,
                List.of(new BrickRef("h1", 0, "/b1"), new BrickRef("h2", 7100, "/b1"), new BrickRef("h3", 0, "/b1")), true));
    }

    @Test
    void defaultsAreReplica3AndTheMetaServiceDefaultsForTheRest() {
        VolumeSpec s = CreateArgs.parse("v", words("h1:/b1"));
        assertThat(s.replica()).isEqualTo(3);
        assertThat(s.minSize()).as("0: replica - replica/2, computed by the meta service").isZero();
        assertThat(s.chunkSize()).as("0: 64 MiB").isZero();
        assertThat(s.force()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            replica 2                       | no bricks given: name at least one brick as HOST:/PATH
            replica                         | 'replica' needs a value after it, e.g. 'replica 3'
            replica two h1:/b               | 'replica' needs a whole number after it, got 'two'
            replica -1 h1:/b                | 'replica' needs a whole number after it, got '-1'
            replica 2 replica 3 h1:/b       | 'replica' is given twice
            chunk-size 1XB h1:/b            | chunk-size: invalid size '1XB'
            min-size                        | 'min-size' needs a value after it
            stripe 2 h1:/b h2:/b            | 'stripe' is a GlusterFS volume type or setting Cairn does not have
            h1:relative                     | invalid brick 'h1:relative': the path after ':' is not absolute
            nohostpath                      | invalid brick 'nohostpath': it names no host and path
            """)
    void badWordsSayWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> CreateArgs.parse("v", words(text)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
