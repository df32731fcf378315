package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.PoolAdmin;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.Errno;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.HealInfo;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.VolumeInfo;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage node crashes for real: a {@code cairn local} cluster of 3 meta servers and 4 storage
 * node processes, a size 3 / min-size 2 volume with 4 MiB chunks, and {@code kill -9}
 * ({@code local kill}) of nodes while a client streams writes. Every acknowledged write must read
 * back intact from every replica; repair brings chunks back to 3 replicas once a node is out; a
 * returning node's stale replicas are never served and get deleted; below min-size a write waits
 * and fails with EIO, and resumes once a node is back.
 */
class StorageFaultIT {
    static final int CHUNK = 4 << 20;
    static final Duration HEAL = Duration.ofSeconds(120);

    @TempDir
    Path tmp;
    Path dir;
    String d;
    MetaClient meta;
    StorageClient storage;
    VolumeInfo vol;
    String metas;
    final Map<String, String> nameOf = new ConcurrentHashMap<>();

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    @AfterEach
    void down() throws Exception {
        if (storage != null) {
            storage.close();
        }
        if (meta != null) {
            meta.close();
        }
        if (d != null) {
            Cli.launch(120, "local", "down", "--dir", d);
            // Keep the members' logs for a look after a failure (the cluster dir is temporary).
            Path keep = Files.createDirectories(Path.of("target", "storage-fault-logs"));
            try (Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                    Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    void up() throws Exception {
        dir = tmp.resolve("cluster");
        d = dir.toString();
        Cli.Result up = Cli.launch(240, "local", "up", "--dir", d, "--separate-roles", "--nodes", "4", "--no-mount",
                "--node-down-timeout", "4s", "--node-out-timeout", "15s", "--repair-interval", "1s");
        assertThat(up.code()).as(up.toString()).isZero();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            p.load(in);
        }
        metas = String.join(",", p.getProperty("meta1.address"), p.getProperty("meta2.address"),
                p.getProperty("meta3.address"));
        List<String> bricks = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            nameOf.put(p.getProperty("node" + i + ".address"), "node" + i);
            Path b = Files.createDirectories(tmp.resolve("bricks/node" + i));
            bricks.add(p.getProperty("node" + i + ".address") + ":" + b);
        }
        Cli cli = Cli.withMeta(metas);
        List<String> create = new ArrayList<>(List.of("volume", "create", "fault", "replica", "3", "chunk-size", "4MiB"));
        create.addAll(bricks);
        Cli.Result made = cli.run(create.toArray(String[]::new));
        assertThat(made.code()).as(made.toString()).isZero();
        assertThat(cli.run("volume", "start", "fault").code()).isZero();
        meta = MetaClient.connect(metas, Duration.ofSeconds(30));
        storage = new StorageClient(Duration.ofSeconds(5));
        vol = new VolumeAdmin(meta, new StorageNodeCalls()).get("fault");
    }

    long createFile(String name) throws CairnException {
        return meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setParent(vol.getRootInode()).setName(name).setMode(0100644)
                .setExclusive(true)).build()).getAttr().getInode();
    }

    ChunkRef allocate(long inode, long index) throws CairnException {
        return ChunkRef.allocate(meta, PoolAdmin.ROOT, vol.getVolumeId(), inode, index, CHUNK, Duration.ofSeconds(60));
    }

    List<ChunkInfo> chunks(long inode) throws CairnException {
        return meta.query(PoolAdmin.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(inode)).build()).getChunks().getChunksList();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    byte[] readReplica(long inode, ChunkInfo c, Replica r, int length) throws CairnException {
        ChunkRef only = new ChunkRef(vol.getVolumeId(), inode, c.getIndex(), CHUNK, c)
                .withPlacement(c.getEpoch(), List.of(r));
        ByteBuffer got = new ChunkReader(meta, storage, PoolAdmin.ROOT, Duration.ofSeconds(10)).read(only, 0, length).data();
        byte[] out = new byte[got.remaining()];
        got.get(out);
        return out;
    }

    /** Every replica of every acknowledged chunk holds exactly what was acknowledged. */
    void assertAcknowledgedIntact(long inode, Map<Long, String> acked, int length) throws Exception {
        for (ChunkInfo c : chunks(inode)) {
            String want = acked.get(c.getIndex());
            if (want == null) {
                continue;
            }
            for (Replica r : c.getPlacementList()) {
                assertThat(sha256(readReplica(inode, c, r, length)))
                        .as("chunk %d on %s (%s)", c.getIndex(), r.getAddress(), nameOf.get(r.getAddress())).isEqualTo(want);
            }
        }
    }

    /**
     * Streams {@code count} chunks of random bytes into a new file on a thread, each written in
     * 1 MiB pieces and synced; once two are acknowledged, {@code victim} picks a node from the
     * placement of the chunk being written, which is killed with SIGKILL.
     */
    Map<Long, String> streamWithKill(long inode, int count, int victimPosition, List<String> killed) throws Exception {
        Map<Long, String> acked = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<ChunkRef> current = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Random rnd = new Random(inode);
            ChunkWriter w = new ChunkWriter(meta, storage, PoolAdmin.ROOT, Duration.ofSeconds(60), 4);
            try {
                for (long i = 0; i < count; i++) {
                    byte[] data = new byte[CHUNK];
                    rnd.nextBytes(data);
                    ChunkRef ref = allocate(inode, i);
                    current.set(ref);
                    w.write(ref, 0, ByteBuffer.wrap(data), true);
                    acked.put(i, sha256(data));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "fault-writer");
        writer.start();
        Awaitility.await("two chunks acknowledged").atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 2
                || failure.get() != null);
        ChunkRef during = current.get();
        String victim = nameOf.get(during.info().getPlacement(victimPosition).getAddress());
        Cli.Result kill = Cli.launch(60, "local", "kill", victim, "--dir", d);
        assertThat(kill.code()).as(kill.toString()).isZero();
        killed.add(victim);
        writer.join(Duration.ofMinutes(3).toMillis());
        assertThat(writer.isAlive()).as("writer finished").isFalse();
        assertThat(failure.get()).as("no write failed").isNull();
        assertThat(acked).hasSize(count);
        return acked;
    }

    String addressOf(String name) {
        return nameOf.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().orElseThrow().getKey();
    }

    void awaitRepairedAround(long inode, String victim) {
        String address = addressOf(victim);
        Awaitility.await("every chunk back at 3 replicas without " + victim).atMost(HEAL)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                    for (ChunkInfo c : chunks(inode)) {
                        assertThat(c.getPlacementList()).hasSize(3).extracting(Replica::getAddress).doesNotContain(address);
                    }
                    HealInfo h = new VolumeAdmin(meta, new StorageNodeCalls()).healInfo("fault");
                    assertThat(h.getPending()).isZero();
                });
    }

    long replicaFiles(String node) throws Exception {
        Path brick = tmp.resolve("bricks/" + node);
        try (Stream<Path> files = Files.walk(brick)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".meta") && f.getParent().getParent()
                    .getFileName().toString().equals("chunks")).count();
        }
    }

    /** A node that returns after being repaired around: reads of its old replicas are refused, then they go. */
    void awaitStaleReplicasGone(long inode, String node) throws Exception {
        Cli.Result start = Cli.launch(60, "local", "start", node, "--dir", d);
        assertThat(start.code()).as(start.toString()).isZero();
        String address = addressOf(node);
        long brick = vol.getBricksList().stream().filter(b -> b.getAddress().equals(address)).findFirst().orElseThrow()
                .getBrickId();
        Awaitility.await(node + " serving again").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> storage.blocking(address).identify(io.cairn.proto.IdentifyRequest.getDefaultInstance()) != null);
        for (ChunkInfo c : chunks(inode)) {
            ReadReply r = storage.blocking(address).read(ReadRequest.newBuilder()
                    .setTarget(new ChunkRef(vol.getVolumeId(), inode, c.getIndex(), CHUNK, c).target())
                    .setBrickId(brick).setOffset(0).setLength(4096).build());
            assertThat(r.getCode()).as("a read of chunk %d from returning %s", c.getIndex(), node)
                    .isNotEqualTo(io.cairn.proto.ErrorCode.OK);
        }
        Awaitility.await(node + "'s stale replicas deleted").atMost(HEAL).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    long placedThere = 0;
                    for (ChunkInfo c : chunks(inode)) {
                        placedThere += c.getPlacementList().stream().filter(r -> r.getAddress().equals(address)).count();
                    }
                    assertThat(replicaFiles(node)).isEqualTo(placedThere);
                });
    }

    /** Record {@code i} of the mounted appender: 64 KiB of bytes seeded by its number. */
    static byte[] record(int i) {
        byte[] r = new byte[64 << 10];
        new Random(1000 + i).nextBytes(r);
        return r;
    }

    /**
     * Through a real mount: 64 KiB appends each followed by fdatasync (the mount holds the file's
     * length ahead of the meta group), and SIGKILL of the primary of the chunk being written. The
     * writer goes on in the chunk's next epoch, and every byte fdatasync acknowledged reads back
     * identical through the mount and from every replica.
     */
    @Test
    void killedPrimaryUnderAMountedFdatasyncWriterLosesNothingAcknowledged() throws Exception {
        up();
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Process mount = Cli.start("mount", "fault", mnt.toString(), "--meta", metas, "--foreground",
                "-o", "attr-ttl=0,entry-ttl=0");
        int records = 3 * CHUNK / (64 << 10);
        long inode;
        try {
            Awaitility.await("mounted").atMost(Duration.ofSeconds(60)).until(() -> io.cairn.fuse.MountTable.isMounted(mnt));
            Path file = mnt.resolve("appends.log");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                inode = (Long) Files.getAttribute(file, "unix:ino");
                for (int i = 0; i < records; i++) {
                    ch.write(ByteBuffer.wrap(record(i)));
                    ch.force(false);
                    if (i == 24) {  // 1.5 MiB into chunk 0
                        String victim = nameOf.get(chunks(inode).get(0).getPlacement(0).getAddress());
                        Cli.Result kill = Cli.launch(60, "local", "kill", victim, "--dir", d);
                        assertThat(kill.code()).as(kill.toString()).isZero();
                    }
                }
            }
            byte[] back = Files.readAllBytes(file);
            assertThat(back.length).isEqualTo(records * (64 << 10));
            for (int i = 0; i < records; i++) {
                assertThat(java.util.Arrays.copyOfRange(back, i * (64 << 10), (i + 1) * (64 << 10)))
                        .as("record " + i).isEqualTo(record(i));
            }
            Map<Long, String> acked = new java.util.HashMap<>();
            for (int c = 0; c < 3; c++) {
                acked.put((long) c, sha256(java.util.Arrays.copyOfRange(back, c * CHUNK, (c + 1) * CHUNK)));
            }
            assertAcknowledgedIntact(inode, acked, CHUNK);
        } finally {
            mount.destroy();
            mount.waitFor();
            new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void killedReplicaPrimaryAndTwoNodesLoseNothingAcknowledged() throws Exception {
        up();
        List<String> killed = new ArrayList<>();

        // A replica node killed while a chunk is being written.
        long a = createFile("replica-killed");
        Map<Long, String> ackedA = streamWithKill(a, 8, 1, killed);
        assertAcknowledgedIntact(a, ackedA, CHUNK);
        awaitRepairedAround(a, killed.get(0));
        assertAcknowledgedIntact(a, ackedA, CHUNK);
        awaitStaleReplicasGone(a, killed.get(0));
        assertAcknowledgedIntact(a, ackedA, CHUNK);

        // The primary killed while a chunk is being written: the writer moves to the next epoch.
        long b = createFile("primary-killed");
        Map<Long, String> ackedB = streamWithKill(b, 8, 0, killed);
        assertAcknowledgedIntact(b, ackedB, CHUNK);
        awaitRepairedAround(b, killed.get(1));
        awaitStaleReplicasGone(b, killed.get(1));
        assertAcknowledgedIntact(b, ackedB, CHUNK);
        assertAcknowledgedIntact(a, ackedA, CHUNK);

        // Two of a chunk's three replica nodes killed: below min-size the write waits, then EIO
        // (within a write timeout well short of node-out-timeout, before repair could step in).
        // Both killed nodes are back: the next chunk is placed on three of the four.
        Awaitility.await("every node up again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> meta.query(PoolAdmin.ROOT, io.cairn.proto.MetaQuery.newBuilder().setListNodes(
                        io.cairn.proto.ListNodesRequest.getDefaultInstance()).build()).getNodes().getNodesList().stream()
                        .allMatch(n -> n.getState() == io.cairn.proto.NodeState.NODE_UP));
        long c = createFile("below-min-size");
        ChunkRef ref = allocate(c, 0);
        byte[] first = new byte[CHUNK / 2];
        new Random(5).nextBytes(first);
        ChunkWriter quick = new ChunkWriter(meta, storage, PoolAdmin.ROOT, Duration.ofSeconds(3), 4);
        ref = quick.write(ref, 0, ByteBuffer.wrap(first), true);
        String r1 = nameOf.get(ref.info().getPlacement(1).getAddress());
        String r2 = nameOf.get(ref.info().getPlacement(2).getAddress());
        LocalCluster local = new LocalCluster(dir);
        local.load();
        assertThat(local.stop(r1, true)).isTrue();
        assertThat(local.stop(r2, true)).isTrue();
        byte[] second = new byte[CHUNK / 4];
        new Random(6).nextBytes(second);
        ChunkRef before = ref;
        assertThatThrownBy(() -> quick.write(before, CHUNK / 2, ByteBuffer.wrap(second), true))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code().errno()).isEqualTo(Errno.EIO));
        ChunkInfo stuck = chunks(c).get(0);
        assertThat(stuck.getPlacementCount()).as("the placement never went below min-size").isEqualTo(3);
        byte[] readBack = readReplica(c, stuck, stuck.getPlacement(0), CHUNK / 2);
        assertThat(sha256(readBack)).as("the acknowledged half on the surviving replica").isEqualTo(sha256(first));

        // One of them returns: writes resume (without the other, which leaves the placement).
        assertThat(Cli.launch(60, "local", "start", r1, "--dir", d).code()).isZero();
        ChunkWriter patient = new ChunkWriter(meta, storage, PoolAdmin.ROOT, Duration.ofSeconds(60), 4);
        ChunkRef after = patient.write(new ChunkRef(vol.getVolumeId(), c, 0, CHUNK, stuck), CHUNK / 2,
                ByteBuffer.wrap(second), true);
        assertThat(after.info().getPlacementList()).extracting(Replica::getAddress).doesNotContain(addressOf(r2));
        byte[] whole = new byte[CHUNK / 2 + CHUNK / 4];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        for (Replica r : chunks(c).get(0).getPlacementList()) {
            assertThat(sha256(readReplica(c, chunks(c).get(0), r, whole.length))).as("replica on %s", nameOf.get(r.getAddress()))
                    .isEqualTo(sha256(whole));
        }
        assertAcknowledgedIntact(a, ackedA, CHUNK);
        assertAcknowledgedIntact(b, ackedB, CHUNK);
    }
}
