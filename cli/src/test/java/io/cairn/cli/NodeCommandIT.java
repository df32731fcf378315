package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn node} as a real process through the launcher: it runs, stops on SIGTERM, and refuses bad starts clearly. */
class NodeCommandIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    static void assertFails(Cli.Result r, int code, String fragment) {
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.err().lines().filter(l -> l.startsWith("cairn: ")).toList()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).contains("cairn: " + fragment);
    }

    @Test
    void aNodeServesUntilSigtermAndThenExits() throws Exception {
        String address = "127.0.0.1:" + FreePorts.pair();
        Path data = tmp.resolve("node");
        Process p = Cli.start("node", "--data", data.toString(), "--listen", address, "--meta", "127.0.0.1:1");
        try {
            Awaitility.await("the node serving").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(Cli.errFile(p)).contains("storage node") || !p.isAlive());
            assertThat(p.isAlive()).as(Files.readString(Cli.errFile(p))).isTrue();
            assertThat(Files.readString(data.resolve("node.id"))).isNotBlank();
            p.destroy();  // SIGTERM: the shutdown hook closes the node
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(Files.readString(Cli.errFile(p))).doesNotContain("Exception");
            try (ServerSocket s = new ServerSocket(Integer.parseInt(address.split(":")[1]), 1,
                    InetAddress.getLoopbackAddress())) {
                assertThat(s.isBound()).as("the port is free again").isTrue();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badStartsAreOneLineAndANonZeroExit() throws Exception {
        String data = tmp.resolve("n").toString();
        assertFails(Cli.launch(60, "node", "--data", data, "--listen", "127.0.0.1:7100", "--meta", "127.0.0.1:1", "--bogus"),
                2, "Unknown option: '--bogus' (see 'cairn node --help')");
        assertFails(Cli.launch(60, "node", "--data", data, "--listen", "nohost", "--meta", "127.0.0.1:1"),
                2, "invalid address 'nohost': expected HOST:PORT");
        assertFails(Cli.launch(60, "node", "--data", data, "--listen", "127.0.0.1:7100"),
                2, "no meta server given: pass --meta HOST:PORT[,HOST:PORT...] or set CAIRN_META");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertFails(Cli.launch(60, "node", "--data", file.toString(), "--listen", "127.0.0.1:7100", "--meta", "127.0.0.1:1"),
                1, "--data " + file + " is not a directory");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertFails(Cli.launch(60, "node", "--data", data, "--listen", address, "--meta", "127.0.0.1:1"),
                    1, "storage node cannot listen on " + address);
        }
    }
}
