package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.FreePorts;
import io.cairn.minicluster.MiniCluster;
import io.cairn.storage.node.StorageConfig;
import io.cairn.storage.node.StorageNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer, pool and volume commands through the real Main against an in-process pool (one meta
 * server, three storage nodes): what works, and every bad input a new user would try, each with
 * its one-line message, its exit code and nothing half-made left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCommandsIT {
    MiniCluster cluster;
    Cli cli;
    String[] nodes = new String[3];

    @TempDir
    Path tmp;

    @BeforeAll
    void startPool() throws Exception {
        cluster = MiniCluster.builder().metaServers(1).storageNodes(3).start();
        cli = Cli.withMeta(cluster.metaAddresses());
        for (int i = 0; i < 3; i++) {
            nodes[i] = cluster.node(i).address();
        }
    }

    @AfterAll
    void stopPool() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A fresh empty directory for a brick. */
    String dir(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name)).toString();
    }

    static void assertOk(Cli.Result r, String... fragments) {
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        assertThat(r.out()).as(r.toString()).contains(fragments);
    }

    /** Fails with exactly one line on stderr that says what is wrong. */
    static void assertFails(Cli.Result r, int code, String fragment) {
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).startsWith("cairn: ").contains(fragment);
    }

    void assertNoVolume(String name) {
        assertThat(cli.run("volume", "list").out()).doesNotContainPattern("(?m)^" + name + "$");
    }

    static void assertEmpty(String dir) throws Exception {
        try (Stream<Path> left = Files.list(Path.of(dir))) {
            assertThat(left).as(dir + " is given back empty").isEmpty();
        }
    }

    @Test
    void probeStatusAndDetachAStorageNode() throws Exception {
        String address = "127.0.0.1:" + FreePorts.pair();
        try (StorageNode extra = StorageNode.start(StorageConfig.of(tmp.resolve("extra-node"), address,
                cluster.metaAddresses()))) {
            assertOk(cli.run("peer", "probe", address), "Added storage node " + address + " to the pool (node ",
                    "uuid " + extra.uuid());
            assertOk(cli.run("peer", "probe", address), "Storage node " + address + " is already in the pool",
                    "nothing to do");
            assertOk(cli.run("peer", "status"), "Storage nodes in the pool: 4", address, extra.uuid());
            assertOk(cli.run("pool", "list", "--json"), "\"address\":\"" + address + "\"", "\"state\":\"up\"");

            assertFails(cli.input("n\n").run("peer", "detach", address), 1,
                    "storage node " + address + " stays in the pool (not confirmed; answer y, or add --yes)");
            assertThat(cli.run("pool", "list").out()).contains(address);
            assertOk(cli.input("y\n").run("peer", "detach", address), "Detach storage node " + address,
                    "Detached storage node " + address);
            assertThat(cli.run("peer", "status").out()).doesNotContain(address).contains("Storage nodes in the pool: 3");
        }
    }

    @Test
    void aNodeThatMovedIsKnownByItsUuidAndGetsItsNewAddress() throws Exception {
        Path data = tmp.resolve("moving-node");
        String before = "127.0.0.1:" + FreePorts.pair();
        String after = "127.0.0.1:" + FreePorts.pair();
        String uuid;
        try (StorageNode n = StorageNode.start(StorageConfig.of(data, before, cluster.metaAddresses()))) {
            uuid = n.uuid();
            assertOk(cli.run("peer", "probe", before), "Added storage node " + before);
        }
        try (StorageNode n = StorageNode.start(StorageConfig.of(data, after, cluster.metaAddresses()))) {
            assertOk(cli.run("peer", "probe", after), "Storage node " + uuid + " (node ", ") moved from " + before
                    + " to " + after + "; the pool now reaches it there.");
            assertThat(cli.run("peer", "status").out()).contains(after).doesNotContain(before);
            assertOk(cli.run("peer", "detach", after, "--yes"), "Detached storage node " + after);
        }
    }

    @Test
    void probingWhatIsNotAStorageNodeSaysWhatToCheck() throws Exception {
        String nobody = "127.0.0.1:" + FreePorts.pair();
        assertFails(cli.run("peer", "probe", nobody), 1, "cannot reach storage node at " + nobody
                + ": Connection refused; is `cairn node` running there?");
        String meta = cluster.metaAddresses().split(",")[0];
        assertFails(cli.run("peer", "probe", meta), 1, meta + " answers but is not a storage node");
        assertFails(cli.run("peer", "probe", "nohost"), 2, "invalid address 'nohost': expected HOST:PORT");
        assertFails(cli.run("peer", "detach", "10.9.9.9:7100", "--yes"), 1,
                "no storage node at 10.9.9.9:7100 in the pool");
        assertThat(cli.run("peer", "status").out()).contains("Storage nodes in the pool: 3");
    }

    @Test
    void aVolumeFromCreateToDelete() throws Exception {
        String[] bricks = {nodes[0] + ":" + dir("life0"), nodes[1] + ":" + dir("life1"), nodes[2] + ":" + dir("life2")};
        assertOk(cli.run("volume", "create", "life", "replica", "3", "chunk-size", "1MiB", bricks[0], bricks[1], bricks[2]),
                "Created volume life (replica 3, min-size 2, chunk-size 1 MiB, 3 bricks);"
                        + " start it with 'cairn volume start life'.");
        assertOk(cli.run("volume", "info", "life"), "Volume Name: life", "Status: Created", "Replica: 3 (min-size 2)",
                "Chunk Size: 1 MiB", "Number of Bricks: 3", "Brick1: " + bricks[0], "Brick3: " + bricks[2],
                "durability: fsync-on-request");
        assertOk(cli.run("volume", "start", "life"), "Started volume life");
        assertOk(cli.run("volume", "info", "life", "--json"), "\"name\":\"life\"", "\"state\":\"started\"",
                "\"replica\":3", "\"min_size\":2", "\"chunk_size\":1048576");
        assertOk(cli.run("volume", "status", "life"), "Volume life: started, replica 3, min-size 2", bricks[1] + "  up");
        assertOk(cli.run("volume", "list"), "life\n");
        assertOk(cli.run("volume", "set", "life", "durability", "always"), "Set durability = always on volume life.");
        assertOk(cli.run("volume", "set", "life", "min-size", "3"), "Set min-size = 3 on volume life.");
        assertOk(cli.run("volume", "get", "life"), "durability       always", "min-size         3");
        assertOk(cli.run("volume", "get", "life", "min-size", "--json"), "{\"min-size\":\"3\"}");

        assertFails(cli.run("volume", "delete", "life", "--yes"), 1,
                "volume life is started; stop it first with 'cairn volume stop life'");
        assertFails(cli.run("volume", "stop", "life"), 1, "volume life stays started (not confirmed; answer y, or add --yes)");
        assertOk(cli.run("volume", "info", "life"), "Status: Started");
        assertOk(cli.run("volume", "stop", "life", "--yes"), "Stopped volume life.");
        assertFails(cli.run("volume", "stop", "life", "--yes"), 1, "volume life is not started; nothing to stop");
        assertFails(cli.input("no\n").run("volume", "delete", "life"), 1, "volume life is not deleted (not confirmed");
        assertOk(cli.input("y\n").run("volume", "delete", "life"), "Deleted volume life.");
        assertNoVolume("life");
        for (String b : bricks) {
            assertEmpty(b.substring(b.indexOf(":/") + 1));
        }
    }

    @Test
    void bricksComeAndGoAndHealInfoShowsTheQueue() throws Exception {
        String[] bricks = {nodes[0] + ":" + dir("grow0"), nodes[1] + ":" + dir("grow1"), nodes[2] + ":" + dir("grow2")};
        assertOk(cli.run("volume", "create", "grow", "replica", "3", bricks[0], bricks[1], bricks[2]), "Created volume grow");
        assertOk(cli.run("volume", "start", "grow"), "Started volume grow");
        String extra = nodes[0] + ":" + dir("grow3");

        assertFails(cli.run("volume", "add-brick", "grow", extra), 1,
                "holds a brick of volume grow already; add 'force' to accept a second");
        assertFails(cli.run("volume", "add-brick", "grow", "nohost"), 2, "invalid brick 'nohost'");
        assertFails(cli.run("volume", "add-brick", "nosuch", extra), 1, "volume nosuch does not exist");
        assertOk(cli.run("volume", "add-brick", "grow", extra, "force"), "Added 1 brick to volume grow; it has 4 now.");
        assertOk(cli.run("volume", "info", "grow"), "Number of Bricks: 4", "Brick4: " + extra);

        assertFails(cli.run("volume", "remove-brick", "grow", bricks[1], "start"), 1,
                "volume grow would keep bricks on 2 nodes, replica 3 needs 3; add bricks first");
        assertFails(cli.run("volume", "remove-brick", "grow", extra), 2, "end remove-brick with start, status, stop or commit");
        assertFails(cli.run("volume", "remove-brick", "grow", extra, "start", "force"), 2, "'force' goes with commit only");
        assertFails(cli.run("volume", "remove-brick", "grow", extra, "commit", "--yes"), 1,
                "is not being removed; run 'cairn volume remove-brick grow BRICK... start' first");
        assertFails(cli.run("volume", "remove-brick", "grow", nodes[1] + ":/not/a/brick", "status"), 1,
                "is not a brick of volume grow");
        assertOk(cli.run("volume", "remove-brick", "grow", extra, "start"), "Started removing 1 brick from volume grow");
        assertOk(cli.run("volume", "remove-brick", "grow", extra, "status"), extra, "yes", "Drained");
        assertOk(cli.run("volume", "remove-brick", "grow", extra, "status", "--json"), "\"replicas\":0", "\"draining\":true");
        assertFails(cli.input("n\n").run("volume", "remove-brick", "grow", extra, "commit"), 1, "the bricks stay");
        assertOk(cli.run("volume", "remove-brick", "grow", extra, "commit", "--yes"), "Removed 1 brick from volume grow");
        assertOk(cli.run("volume", "info", "grow"), "Number of Bricks: 3");

        org.awaitility.Awaitility.await("the leader's first repair scan").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> cli.run("volume", "heal", "grow", "info", "--json").out().contains("\"scanned\":true"));
        assertOk(cli.run("volume", "heal", "grow", "info"), "Volume grow: 0 of 0 chunks need heal");
        assertFails(cli.run("volume", "heal", "grow", "full"), 2, "unknown heal action 'full'; use: cairn volume heal grow info");
        assertFails(cli.run("volume", "heal", "nosuch", "info"), 1, "volume nosuch does not exist");
        assertOk(cli.run("volume", "stop", "grow", "--yes"), "Stopped");
        assertOk(cli.run("volume", "delete", "grow", "--yes"), "Deleted volume grow.");
    }

    @Test
    void badVolumeCreatesSayWhatIsWrongAndLeaveNothing() throws Exception {
        String a = nodes[0] + ":" + dir("bad0");
        String b = nodes[1] + ":" + dir("bad1");
        assertOk(cli.run("volume", "create", "taken", "replica", "1", nodes[2] + ":" + dir("taken2")), "Created volume taken");
        assertFails(cli.run("volume", "create", "taken", "replica", "2", a, b), 1, "volume taken already exists");
        assertFails(cli.run("volume", "create", "bad", "replica", "0", a, b), 1, "invalid replica count 0: use 1 to 16");
        assertFails(cli.run("volume", "create", "bad", "replica", "3", a, b), 1,
                "replica 3 needs at least 3 bricks, got 2; name more bricks or a lower replica count");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", "min-size", "3", a, b), 1,
                "invalid min-size 3: it must be between 1 and the replica count 2");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", a, "host:relative"), 2,
                "invalid brick 'host:relative': the path after ':' is not absolute;"
                        + " use HOST:/ABSOLUTE/PATH or HOST:PORT:/ABSOLUTE/PATH");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", a, "nohostpath"), 2,
                "invalid brick 'nohostpath': it names no host and path");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", a), 1, "replica 2 needs at least 2 bricks, got 1");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", a, "10.9.9.9:/data/b1"), 1,
                "brick 10.9.9.9:/data/b1: no storage node on host 10.9.9.9 in the pool;"
                        + " probe it first with 'cairn peer probe 10.9.9.9:PORT'");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", a, "127.0.0.1:/data/b1"), 1,
                "host 127.0.0.1 has 3 storage nodes");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", a, nodes[2] + ":" + tmp.resolve("taken2")), 1,
                "is or overlaps brick " + tmp.resolve("taken2") + " of volume taken; use another directory");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", "replica", "3", a, b), 2, "'replica' is given twice");
        assertFails(cli.run("volume", "create", "bad", "replica", "2", "chunk-size", "1XB", a, b), 2,
                "chunk-size: invalid size '1XB'");
        assertFails(cli.run("volume", "create", "bad", "replica", "1", "chunk-size", "1000", a), 1,
                "invalid chunk-size 1000: use a multiple of 64 KiB between 64 KiB and 1 GiB");
        assertNoVolume("bad");
        assertEmpty(a.substring(a.indexOf(":/") + 1));
    }

    @Test
    void aBrickANodeRefusesUndoesTheWholeCreate() throws Exception {
        String a = dir("undo0");
        String full = dir("undo1");
        Files.writeString(Path.of(full, "someone-elses-file"), "x");
        String c = dir("undo2");
        String missing = tmp.resolve("undo-missing").toString();
        assertFails(cli.run("volume", "create", "undo", nodes[0] + ":" + a, nodes[1] + ":" + full, nodes[2] + ":" + c), 1,
                "volume undo was not created: storage node " + nodes[1] + ": brick directory " + full
                        + " is not empty; give an empty directory");
        assertFails(cli.run("volume", "create", "undo", nodes[0] + ":" + a, nodes[1] + ":" + c, nodes[2] + ":" + missing), 1,
                "volume undo was not created: storage node " + nodes[2] + ": brick directory " + missing
                        + " does not exist; create it first");
        assertNoVolume("undo");
        assertEmpty(a);
        assertEmpty(c);
        Files.delete(Path.of(full, "someone-elses-file"));
        assertOk(cli.run("volume", "create", "undo", nodes[0] + ":" + a, nodes[1] + ":" + full, nodes[2] + ":" + c),
                "Created volume undo (replica 3, min-size 2");
        assertOk(cli.run("volume", "delete", "undo", "--yes"), "Deleted volume undo.");
    }

    @Test
    void aNodeHoldingBricksIsNotDetached() throws Exception {
        assertOk(cli.run("volume", "create", "held", "replica", "1", nodes[0] + ":" + dir("held0")), "Created volume held");
        assertFails(cli.run("peer", "detach", nodes[0]), 1,
                "node " + nodes[0] + " holds bricks of volume(s) held; remove those bricks or delete the volumes first");
        assertOk(cli.run("volume", "delete", "held", "--yes"), "Deleted volume held.");
    }

    @Test
    void unknownVolumesAndMissingMetaServersAreOneLine() {
        for (String cmd : new String[] {"info", "status", "start", "stop", "delete", "get"}) {
            assertFails(cli.run("volume", cmd, "nope"), 1,
                    "volume nope does not exist; 'cairn volume list' shows the volumes");
        }
        assertFails(cli.run("volume", "set", "nope", "durability", "always"), 1, "volume nope does not exist");
        assertFails(Cli.withMeta(null).run("volume", "list"), 2,
                "no meta server given: pass --meta HOST:PORT[,HOST:PORT...] or set CAIRN_META");
        assertFails(Cli.withMeta(null).run("peer", "status", "--meta", "nohost"), 2,
                "--meta: invalid address 'nohost': expected HOST:PORT");
        assertFails(cli.run("volume", "list", "--bogus"), 2, "Unknown option: '--bogus' (see 'cairn volume list --help')");
        assertFails(cli.run("volume", "get", "nope2", "x", "y"), 2, "Unmatched argument");
    }
}
