package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code cairn meta --listen}: a bind address must keep the port of the server's --peers entry. */
class MetaListenTest {
    @Test
    void aListenAddressWithAnotherPortOrNoPortIsAUsageError() {
        Cli.Result other = Cli.withMeta(null).run("meta", "--id", "m1", "--peers", "m1=127.0.0.1:7000",
                "--data", "/tmp/cairn-meta-listen-test", "--listen", "0.0.0.0:7100");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("--listen 0.0.0.0:7100 has another port than this server's --peers entry "
                + "m1=127.0.0.1:7000; use the same port (e.g. 0.0.0.0:7000)");
        Cli.Result bad = Cli.withMeta(null).run("meta", "--id", "m1", "--peers", "m1=127.0.0.1:7000",
                "--data", "/tmp/cairn-meta-listen-test", "--listen", "nohost");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--listen: ");
    }
}
