package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn server}: options that cannot work are refused with one line before either role starts. */
class ServerCommandTest {
    @TempDir
    Path tmp;

    private static Cli.Result server(String... more) {
        List<String> args = new ArrayList<>(List.of("server", "--id", "s1", "--peers", "s1=127.0.0.1:7000,s2=127.0.0.1:7002"));
        args.addAll(List.of(more));
        return Cli.withMeta(null).run(args.toArray(String[]::new));
    }

    @Test
    void theStorageNodeMayNotTakeTheMetaServersPorts() {
        String data = tmp.resolve("d").toString();
        Cli.Result client = server("--data", data, "--storage-listen", "127.0.0.1:7000");
        assertThat(client.code()).isEqualTo(2);
        assertThat(client.errLines()).containsExactly("cairn: --storage-listen 127.0.0.1:7000 takes the meta server's client"
                + " port 7000 (--peers s1=127.0.0.1:7000 uses 7000 and 7001); use another port (see 'cairn server --help')");
        Cli.Result raft = server("--data", data, "--storage-listen", "127.0.0.1:7001");
        assertThat(raft.code()).isEqualTo(2);
        assertThat(raft.errLines()).singleElement().asString().contains("takes the meta server's Raft port 7001");
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void badAddressesAndAFileAsDataAreRefused() throws Exception {
        Cli.Result noPort = server("--data", tmp.resolve("d").toString(), "--storage-listen", "nohost");
        assertThat(noPort.code()).isEqualTo(2);
        assertThat(noPort.errLines()).hasSize(1);
        Cli.Result listen = server("--data", tmp.resolve("d").toString(), "--storage-listen", "127.0.0.1:7100",
                "--meta-listen", "0.0.0.0:7200");
        assertThat(listen.code()).isEqualTo(2);
        assertThat(listen.errLines()).singleElement().asString().contains("--meta-listen 0.0.0.0:7200 has another port than"
                + " this server's --peers entry s1=127.0.0.1:7000");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Cli.Result notDir = server("--data", file.toString(), "--storage-listen", "127.0.0.1:7100");
        assertThat(notDir.code()).isEqualTo(1);
        assertThat(notDir.errLines()).containsExactly("cairn: --data " + file + " is not a directory; give a directory"
                + " (created if missing)");
        assertThat(tmp.resolve("d")).doesNotExist();
    }
}
