package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cairn local up} for real: meta servers, storage nodes and a started volume as
 * processes (each role alone with {@code --separate-roles}; both in one {@code cairn server}
 * process by default); then the admin commands against them, a crash and restart, and {@code up}
 * again on the same directory. Always {@code local down} at the end.
 */
class LocalClusterIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    static void assertOk(Cli.Result r, String... fragments) {
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains(fragments);
    }

    static String property(Path dir, String key) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            p.load(in);
        }
        return p.getProperty(key);
    }

    /**
     * {@code up}'s result, or when it only timed out waiting (a loaded machine) that of {@code up}
     * again, which leaves the running members be and waits once more.
     */
    static Cli.Result upAgainIfSlow(Cli.Result up, String dir) throws Exception {
        return up.code() != 0 && up.err().contains(" within ") ? Cli.launch(180, "local", "up", "--dir", dir) : up;
    }

    /**
     * The launcher as a user runs it: the first {@code local up} of a build prepares the JVM's
     * ahead-of-time cache, and every server it starts runs with it (and can use it: a cache made
     * for another class path or JDK would show as an [aot] error in the server's log); the next
     * command does not prepare it again.
     */
    @Test
    void theFirstLocalUpOfABuildPreparesTheJvmCacheThatItsServersStartWith() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the JVM's ahead-of-time cache needs JDK 25 or newer");
        Path cache = Cli.ROOT.resolve("cli/target/cairn-jvm.aot");
        Files.deleteIfExists(cache);
        Files.deleteIfExists(cache.resolveSibling("cairn-jvm.aot.failed"));
        Path dir = tmp.resolve("cached");
        String d = dir.toString();
        try {
            Cli.Result up = Cli.launchWithJvmCache(300, "local", "up", "--dir", d, "--no-mount");
            assertOk(up, "Started the local cluster in " + d);
            assertThat(up.err()).contains("preparing the JVM's ahead-of-time cache");
            assertThat(cache).isNotEmptyFile();
            for (String server : List.of("server1", "server2", "server3")) {
                long pid = Long.parseLong(Files.readString(dir.resolve(server + ".pid")).trim());
                assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())).get().asString()
                        .contains("-XX:AOTCache=" + cache);
                assertThat(Files.readString(dir.resolve(server + ".log"))).doesNotContain("][aot]");
            }
            Cli.Result status = Cli.launchWithJvmCache(60, "local", "status", "--dir", d);
            assertOk(status, "server1");
            assertThat(status.err()).doesNotContain("preparing");
        } finally {
            Cli.launch(120, "local", "down", "--dir", d);
        }
    }

    @Test
    void upStartsMetaServersNodesAndAVolumeThatTheAdminCommandsManage() throws Exception {
        Path dir = tmp.resolve("cluster");
        String d = dir.toString();
        try {
            // Separate roles: this test kills and repairs a storage node alone.
            Cli.Result up = Cli.launch(180, "local", "up", "--dir", d, "--separate-roles");
            assertOk(up, "Started the local cluster in " + d, "meta1", "node3  node   up",
                    "mount  mount  mounted   " + dir.resolve("mnt"), "Mounted on " + dir.resolve("mnt"),
                    "Volume vol0 (created now): started, replica 3, min-size 2, one brick per node in "
                            + dir.resolve("bricks") + "/node*/vol0",
                    "./cairn volume info vol0");
            assertOk(Cli.launch(60, "local", "status", "--dir", d), "node1  node   up", "node2  node   up");
            // The volume is mounted: a file written through it reads back, and survives the restart below.
            Path mnt = dir.resolve("mnt");
            Files.createDirectory(mnt.resolve("docs"));
            Files.writeString(mnt.resolve("docs/hello.txt"), "hello from the mount\n");
            assertThat(Files.readString(mnt.resolve("docs/hello.txt"))).isEqualTo("hello from the mount\n");
            String meta = String.join(",", List.of(property(dir, "meta1.address"), property(dir, "meta2.address"),
                    property(dir, "meta3.address")));
            String[] nodes = {property(dir, "node1.address"), property(dir, "node2.address"), property(dir, "node3.address")};
            Cli cli = Cli.withMeta(meta);

            assertOk(cli.run("peer", "status"), "Storage nodes in the pool: 3", nodes[0], nodes[2]);
            assertThat(cli.run("peer", "status").out().lines().filter(l -> l.contains("  up  ")).count()).isEqualTo(3);
            assertOk(cli.run("volume", "info", "vol0"), "Volume Name: vol0", "Status: Started", "Number of Bricks: 3",
                    "Brick2: " + nodes[1] + ":" + dir.resolve("bricks/node2/vol0"));

            String b1 = Files.createDirectories(tmp.resolve("more/b1")).toString();
            String b2 = Files.createDirectories(tmp.resolve("more/b2")).toString();
            assertOk(cli.run("volume", "create", "vol1", "replica", "2", nodes[0] + ":" + b1, nodes[1] + ":" + b2),
                    "Created volume vol1 (replica 2, min-size 1, chunk-size 64 MiB, 2 bricks)");
            assertOk(cli.run("volume", "start", "vol1"), "Started volume vol1");
            assertOk(cli.run("volume", "info", "vol1"), "Status: Started", "Brick1: " + nodes[0] + ":" + b1);
            assertOk(cli.run("volume", "stop", "vol1", "--yes"), "Stopped volume vol1.");
            assertOk(cli.run("volume", "delete", "vol1", "--yes"), "Deleted volume vol1.");
            assertThat(cli.run("volume", "list").out()).isEqualTo("vol0\n");

            assertOk(Cli.launch(60, "local", "kill", "node2", "--dir", d), "killed node2");
            Cli.Result degraded = Cli.launch(60, "local", "status", "--dir", d);
            assertThat(degraded.code()).as(degraded.toString()).isEqualTo(1);
            assertThat(degraded.out()).contains("node2  node   stopped");
            // A power cut right after the node wrote its identity files (before they were written
            // durably) left them empty: the node refuses to start and names the way out, which works.
            Path node2 = dir.resolve("node2");
            Files.writeString(node2.resolve("node.id"), "");
            Files.writeString(node2.resolve("bricks"), "");
            Files.writeString(dir.resolve("bricks/node2/vol0/.cairn-brick"), "");
            Cli.Result refused = Cli.launch(60, "local", "start", "node2", "--dir", d);
            assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).as(refused.toString()).contains("node.id is empty or torn", "cairn node recover-identity");
            assertOk(cli.run("node", "recover-identity", "--data", node2.toString(), "--listen", nodes[1]),
                    node2.resolve("node.id") + ": restored", dir.resolve("bricks/node2/vol0/.cairn-brick") + ": restored");
            assertOk(Cli.launch(60, "local", "start", "node2", "--dir", d), "started node2");
            Awaitility.await("node2 back up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Cli.launch(60, "local", "status", "--dir", d).code() == 0);

            assertOk(Cli.launch(120, "local", "down", "--dir", d), "stopped mount");
            assertThat(io.cairn.fuse.MountTable.isMounted(dir.resolve("mnt"))).isFalse();
            // As a cluster made before the combined layout existed (no layout recorded): up, without
            // --separate-roles, restarts it with its own layout.
            Path props = dir.resolve("cluster.properties");
            Files.write(props, Files.readAllLines(props).stream().filter(l -> !l.startsWith("layout=")).toList());
            Cli.Result again = upAgainIfSlow(Cli.launch(180, "local", "up", "--dir", d), d);
            assertOk(again, "Restarted the local cluster in " + d, "Volume vol0: started", "meta1  meta ", "node3  node   up");
            assertThat(again.out()).doesNotContain("server1");
            assertThat(again.out()).doesNotContain("created now");
            assertThat(Files.readString(dir.resolve("mnt/docs/hello.txt"))).isEqualTo("hello from the mount\n");
        } finally {
            Cli.launch(120, "local", "down", "--dir", d);
        }
        assertThat(Cli.launch(60, "local", "status", "--dir", d).out()).contains("node1  node   stopped",
                "meta1  meta   stopped", "mount  mount  stopped");
        assertThat(io.cairn.fuse.MountTable.isMounted(dir.resolve("mnt"))).isFalse();
    }

    /**
     * The default layout: server1..3 each run a meta server and a storage node in one process.
     * Killing one (both its roles) leaves a meta majority and two of three replicas (min-size 2):
     * what was written reads back, and more can be written; started again, it rejoins.
     */
    @Test
    void combinedServersSurviveTheLossOfOne() throws Exception {
        Path dir = tmp.resolve("combined");
        String d = dir.toString();
        try {
            Cli.Result up = upAgainIfSlow(Cli.launch(180, "local", "up", "--dir", d), d);
            assertOk(up, "the local cluster in " + d, "server3  server", "mount    mount   mounted",
                    "one brick per node in " + dir.resolve("bricks") + "/server*/vol0");
            assertThat(up.out()).doesNotContain("meta1", "node1");
            assertThat(property(dir, "layout")).isEqualTo("combined");
            assertThat(dir.resolve("server2/meta")).isDirectory();
            assertThat(dir.resolve("server2/node/node.id")).isRegularFile();
            Path mnt = dir.resolve("mnt");
            byte[] data = new byte[3 << 20];
            new java.util.Random(7).nextBytes(data);
            Files.write(mnt.resolve("before.bin"), data);

            assertOk(Cli.launch(60, "local", "kill", "server2", "--dir", d), "killed server2");
            Cli.Result degraded = Cli.launch(60, "local", "status", "--dir", d);
            assertThat(degraded.code()).as(degraded.toString()).isEqualTo(1);
            assertThat(degraded.out()).contains("server2  server  stopped");
            assertThat(Files.readAllBytes(mnt.resolve("before.bin"))).isEqualTo(data);
            Files.writeString(mnt.resolve("during.txt"), "written with server2 down\n");
            // Its layout stays: asking for another is refused before anything starts.
            Cli.Result other = Cli.launch(60, "local", "up", "--dir", d, "--separate-roles");
            assertThat(other.code()).as(other.toString()).isEqualTo(1);
            assertThat(other.errLines()).containsExactly("cairn: --separate-roles: the cluster in " + d
                    + " runs combined servers (server1..) and keeps its layout; drop the flag, or give a new --dir");

            assertOk(Cli.launch(60, "local", "start", "server2", "--dir", d), "started server2");
            Awaitility.await("server2 back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Cli.launch(60, "local", "status", "--dir", d).code() == 0);
            assertThat(Cli.launch(60, "local", "status", "--dir", d).out()).containsPattern("server2  server  (leader|follower)/up ");
            assertThat(Files.readString(mnt.resolve("during.txt"))).isEqualTo("written with server2 down\n");
        } finally {
            Cli.launch(120, "local", "down", "--dir", d);
        }
        assertThat(Cli.launch(60, "local", "status", "--dir", d).out()).contains("server1  server  stopped",
                "mount    mount   stopped");
    }

    /** The mount point is taken (a tmpfs there): the mount fails, and up stops the servers it started. */
    @Test
    void aMountThatFailsLeavesNothingRunning() throws Exception {
        Path dir = tmp.resolve("unmounted");
        String d = dir.toString();
        Path taken = Files.createDirectories(tmp.resolve("taken"));
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", taken.toString()).inheritIO().start().waitFor()).isZero();
        try {
            Cli.Result up = Cli.launch(180, "local", "up", "--dir", d, "--mount", taken.toString());
            assertThat(up.code()).as(up.toString()).isEqualTo(1);
            assertThat(up.err()).as(up.toString()).contains("cairn: stopped what this command started (", "server1)");
            Cli.Result status = Cli.launch(60, "local", "status", "--dir", d);
            assertThat(status.out()).as(status.toString()).contains("server1  server  stopped", "server2  server  stopped",
                    "server3  server  stopped");
        } finally {
            Cli.launch(120, "local", "down", "--dir", d);
            new ProcessBuilder("umount", "-l", taken.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void impossibleCountsAreRefusedBeforeAnythingStarts() throws Exception {
        Path dir = tmp.resolve("never");
        Cli.Result r = Cli.launch(60, "local", "up", "--dir", dir.toString(), "--nodes", "2");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).isEqualTo("cairn: --replica 3 needs 3 storage nodes, the cluster has 2;"
                + " use a --replica from 1 to 2 or more --nodes\n");
        r = Cli.launch(60, "local", "up", "--dir", dir.toString(), "--replica", "2", "--min-size", "3");
        assertThat(r.err()).as(r.toString()).isEqualTo("cairn: --min-size 3: use 1 to the replica count 2\n");
        r = Cli.launch(60, "local", "up", "--dir", dir.toString(), "-o", "short-circuit=maybe");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).isEqualTo("cairn: option short-circuit=maybe must be on or off\n");
        assertThat(dir).doesNotExist();
    }
}
