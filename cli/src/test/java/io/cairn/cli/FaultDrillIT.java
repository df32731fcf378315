package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault drill an admin would run, through the README's own commands: {@code local up} with a
 * mounted volume, {@code cp -r} of a tree into the mount while the meta leader and a storage node
 * are SIGKILLed ({@code local kill}), more writing while they are down, {@code local start} them
 * again; then every copied tree must match its source byte for byte and {@code volume heal NAME
 * info} must drain to zero.
 */
class FaultDrillIT {
    @TempDir
    Path tmp;
    String d;

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    @AfterEach
    void down() throws Exception {
        if (d != null) {
            Cli.launch(120, "local", "down", "--dir", d);
        }
    }

    /** A tree of small and larger files of random bytes in nested directories. */
    static Path sourceTree(Path root) throws Exception {
        Random rnd = new Random(42);
        for (int dir = 0; dir < 6; dir++) {
            Path sub = Files.createDirectories(root.resolve("d" + dir).resolve("inner" + dir % 2));
            for (int f = 0; f < 25; f++) {
                int size = f % 10 == 0 ? 1_500_000 + rnd.nextInt(1_000_000) : rnd.nextInt(64 * 1024);
                byte[] b = new byte[size];
                rnd.nextBytes(b);
                Files.write(sub.resolve("file" + f + ".bin"), b);
            }
        }
        Files.writeString(root.resolve("README.txt"), "a tree for the fault drill\n");
        return root;
    }

    static Process cp(Path from, Path to) throws Exception {
        return new ProcessBuilder("cp", "-r", from.toString(), to.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(to.getParent().getParent().resolve("cp.log").toFile()))
                .start();
    }

    static void assertSameTree(Path expected, Path actual) throws Exception {
        Process diff = new ProcessBuilder("diff", "-r", "-q", expected.toString(), actual.toString())
                .redirectErrorStream(true).start();
        String out = new String(diff.getInputStream().readAllBytes());
        assertThat(diff.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(diff.exitValue()).as("diff -r %s %s: %s", expected, actual, out).isZero();
        try (Stream<Path> files = Files.walk(actual)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(151);
        }
    }

    String leader() throws Exception {
        Cli.Result st = Cli.launch(60, "local", "status", "--dir", d);
        return st.out().lines().filter(l -> l.contains(" leader ")).map(l -> l.trim().split("\\s+")[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no leader in\n" + st));
    }

    @Test
    void killingTheMetaLeaderAndAStorageNodeDuringACopyLosesNothingAndHealDrains() throws Exception {
        Path dir = tmp.resolve("cluster");
        d = dir.toString();
        Cli.Result up = Cli.launch(300, "local", "up", "--dir", d, "--separate-roles",
                "--node-down-timeout", "4s", "--node-out-timeout", "60s", "--repair-interval", "1s");
        assertThat(up.code()).as(up.toString()).isZero();
        Path mnt = dir.resolve("mnt");
        assertThat(up.out()).contains("Mounted on " + mnt);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            p.load(in);
        }
        Cli admin = Cli.withMeta(String.join(",", p.getProperty("meta1.address"), p.getProperty("meta2.address"),
                p.getProperty("meta3.address")));
        Path src = sourceTree(Files.createDirectories(tmp.resolve("src")));

        Process first = cp(src, mnt.resolve("tree1"));
        Awaitility.await("the copy under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(mnt.resolve("tree1/d1")) || !first.isAlive());
        String leader = leader();
        assertThat(Cli.launch(60, "local", "kill", leader, "--dir", d).code()).isZero();
        assertThat(Cli.launch(60, "local", "kill", "node2", "--dir", d).code()).isZero();
        assertThat(first.waitFor(5, TimeUnit.MINUTES)).as("cp finished").isTrue();
        assertThat(first.exitValue()).as("cp exit status (see cp.log)").isZero();

        // More writing while both are down.
        Process second = cp(src, mnt.resolve("tree2"));
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).isZero();

        assertThat(Cli.launch(60, "local", "start", leader, "--dir", d).code()).isZero();
        assertThat(Cli.launch(60, "local", "start", "node2", "--dir", d).code()).isZero();
        assertSameTree(src, mnt.resolve("tree1"));
        assertSameTree(src, mnt.resolve("tree2"));

        Awaitility.await("heal info drains to zero").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Cli.Result heal = admin.run("volume", "heal", "vol0", "info", "--json");
                    assertThat(heal.code()).as(heal.toString()).isZero();
                    assertThat(heal.out()).contains("\"scanned\":true", "\"pending\":0,", "\"inProgress\":0");
                });
        List<String> volumeInfo = admin.run("volume", "status", "vol0").out().lines().toList();
        assertThat(volumeInfo).isNotEmpty();
        assertSameTree(src, mnt.resolve("tree1"));
    }
}
