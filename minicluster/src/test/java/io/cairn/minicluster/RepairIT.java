package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.HealInfo;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Replica;
import io.cairn.proto.UnlinkRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.common.brick.BrickLayout;
import io.cairn.storage.chunk.ReplicaInfo;
import io.cairn.storage.node.BrickRegistry;
import io.cairn.storage.node.StorageNode;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Self-heal on a MiniCluster with second-scale timeouts: a node that stays away has its replicas
 * copied elsewhere, corrupt replicas found by a read or by the scrubber are replaced, and
 * replicas that no placement names any more (a node's stale ones, deleted files') are deleted.
 */
class RepairIT {
    static final long CHUNK = 1L << 20;
    static final int CHUNKS = 6;
    static final Duration HEAL = Duration.ofSeconds(90);

    MiniCluster cluster;
    MetaClient meta;
    StorageClient storage;
    VolumeInfo vol;

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    void start(int nodes, Duration scrub) throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(nodes)
                .nodeTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(4)).scrubInterval(scrub).start();
        vol = cluster.createVolume("data", 3, CHUNK);
        meta = cluster.newMetaClient();
        storage = new StorageClient(Duration.ofSeconds(10));
        cluster.waitForLiveNodes(Duration.ofSeconds(20));
    }

    /** A file of CHUNKS full chunks of random bytes; returns its inode. */
    long writeFile(String name, byte[][] data) throws CairnException {
        long inode = Ops.create(meta, vol.getVolumeId(), vol.getRootInode(), name).getInode();
        ChunkWriter writer = new ChunkWriter(meta, storage, Ops.ROOT, Duration.ofSeconds(30), 4);
        for (int i = 0; i < data.length; i++) {
            ChunkInfo info = meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest
                    .newBuilder().setVolumeId(vol.getVolumeId()).setInode(inode).setIndex(i)).build()).getChunk();
            writer.write(new ChunkRef(vol.getVolumeId(), inode, i, CHUNK, info), 0, ByteBuffer.wrap(data[i]), true);
        }
        return inode;
    }

    static byte[][] randomChunks(int n, long seed) {
        Random r = new Random(seed);
        byte[][] out = new byte[n][(int) CHUNK];
        for (byte[] b : out) {
            r.nextBytes(b);
        }
        return out;
    }

    List<ChunkInfo> chunks(long inode) throws CairnException {
        return meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(inode)).build()).getChunks().getChunksList();
    }

    HealInfo heal() throws CairnException {
        return new VolumeAdmin(meta, new StorageNodeCalls()).healInfo("data");
    }

    /** Every replica of every chunk, read on its own, holds the chunk's bytes. */
    void assertEveryReplicaHolds(long inode, byte[][] data) throws CairnException {
        for (ChunkInfo c : chunks(inode)) {
            assertEveryReplicaHolds(inode, c, data[(int) c.getIndex()]);
        }
    }

    /** Every replica of chunk {@code c}, read on its own, holds {@code data}. */
    void assertEveryReplicaHolds(long inode, ChunkInfo c, byte[] data) throws CairnException {
        ChunkReader reader = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofSeconds(10));
        ChunkRef ref = new ChunkRef(vol.getVolumeId(), inode, c.getIndex(), CHUNK, c);
        for (Replica r : c.getPlacementList()) {
            ByteBuffer got = reader.read(ref.withPlacement(c.getEpoch(), List.of(r)), 0, (int) CHUNK).data();
            byte[] bytes = new byte[got.remaining()];
            got.get(bytes);
            assertThat(bytes).as("chunk %d on %s", c.getIndex(), r.getAddress()).isEqualTo(data);
        }
    }

    int nodeOf(String address) {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i) != null && cluster.node(i).address().equals(address)) {
                return i;
            }
        }
        throw new IllegalStateException("no running node at " + address);
    }

    Set<Long> replicasOn(StorageNode n) throws CairnException {
        Set<Long> out = new HashSet<>();
        for (BrickRegistry.Brick b : n.bricks().all()) {
            for (ReplicaInfo r : b.store().list()) {
                out.add(r.chunkId());
            }
        }
        return out;
    }

    void flipByte(Replica r, long chunkId, long at) throws Exception {
        Path file = new BrickLayout(cluster.node(nodeOf(r.getAddress())).bricks().get(r.getBrickId()).path())
                .dataFile(chunkId);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void aNodeThatStaysAwayIsRepairedAroundAndItsStaleReplicasAreDeletedWhenItReturns() throws Exception {
        start(4, Duration.ofDays(1));
        byte[][] data = randomChunks(CHUNKS, 11);
        long inode = writeFile("f", data);
        List<ChunkInfo> before = chunks(inode);
        String victim = before.get(0).getPlacement(1).getAddress();
        int victimIndex = nodeOf(victim);
        Set<Long> onVictim = replicasOn(cluster.node(victimIndex));
        assertThat(onVictim).isNotEmpty();

        cluster.killNode(victimIndex);
        Awaitility.await("every chunk back at 3 replicas, none on the node that is out").atMost(HEAL)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (ChunkInfo c : chunks(inode)) {
                        assertThat(c.getPlacementList()).hasSize(3).extracting(Replica::getAddress).doesNotContain(victim);
                    }
                    HealInfo h = heal();
                    assertThat(h.getScannedAtMs()).isPositive();
                    assertThat(h.getPending()).isZero();
                });
        assertThat(heal().getRepaired()).isGreaterThanOrEqualTo(onVictim.size());
        assertEveryReplicaHolds(inode, data);

        // The node returns: its replicas are at old epochs and in no placement; they are deleted.
        cluster.startNode(victimIndex);
        StorageNode back = cluster.node(victimIndex);
        Awaitility.await("the returning node's stale replicas deleted").atMost(HEAL)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Set<Long> left = replicasOn(back);
                    for (ChunkInfo c : chunks(inode)) {
                        boolean placedThere = c.getPlacementList().stream().anyMatch(r -> r.getAddress().equals(victim));
                        assertThat(left.contains(c.getChunkId())).isEqualTo(placedThere);
                    }
                });
        assertEveryReplicaHolds(inode, data);

        // The file is deleted: every replica of it goes from every brick, and the garbage table empties.
        Set<Long> ids = new HashSet<>();
        chunks(inode).forEach(c -> ids.add(c.getChunkId()));
        meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setUnlink(UnlinkRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setParent(vol.getRootInode()).setName("f")).build());
        Awaitility.await("replicas of the deleted file gone").atMost(HEAL).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (int i = 0; i < cluster.nodeCount(); i++) {
                        assertThat(replicasOn(cluster.node(i))).doesNotContainAnyElementsOf(ids);
                    }
                });
    }

    @Test
    void corruptReplicasFoundByAReadOrByTheScrubberAreReplacedFromAGoodOne() throws Exception {
        start(3, Duration.ofSeconds(2));
        byte[][] data = randomChunks(2, 12);
        long inode = writeFile("g", data);
        List<ChunkInfo> placed = chunks(inode);
        // Chunk 0: its primary's copy is flipped and a client reads it (the read fails over).
        ChunkInfo read = placed.get(0);
        flipByte(read.getPlacement(0), read.getChunkId(), 300_000);
        ChunkReader reader = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofSeconds(10));
        ByteBuffer got = reader.read(new ChunkRef(vol.getVolumeId(), inode, 0, CHUNK, read), 0, (int) CHUNK).data();
        byte[] bytes = new byte[got.remaining()];
        got.get(bytes);
        assertThat(bytes).isEqualTo(data[0]);
        // Chunk 1: a replica nobody reads is flipped; the scrubber finds it.
        ChunkInfo unread = placed.get(1);
        flipByte(unread.getPlacement(2), unread.getChunkId(), 700_000);

        Awaitility.await("both chunks repaired: every replica verifies").atMost(HEAL)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                    for (ChunkInfo c : chunks(inode)) {
                        ChunkInfo was = placed.get((int) c.getIndex());
                        assertThat(c.getEpoch()).isGreaterThan(was.getEpoch());
                        assertThat(c.getPlacementList()).hasSize(3);
                    }
                    assertEveryReplicaHolds(inode, data);
                    assertThat(heal().getPending()).isZero();
                });
        assertThat(heal().getRepaired()).isGreaterThanOrEqualTo(2);
    }

    /** Cuts a replica's meta file to {@code bytes}, as a power cut can leave one written without fsync. */
    void tear(Replica r, long chunkId, long bytes) throws Exception {
        Path file = new BrickLayout(cluster.node(nodeOf(r.getAddress())).bricks().get(r.getBrickId()).path())
                .metaFile(chunkId);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    void reportEverything() {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            cluster.node(i).reporter().queueAll();
        }
    }

    @Test
    void tornReplicasAreRepairedOrNamedAsLostAndStrayOnesDeleted() throws Exception {
        start(3, Duration.ofDays(1));
        byte[][] data = randomChunks(2, 13);
        long inode = writeFile("t", data);
        List<ChunkInfo> placed = chunks(inode);
        // Chunk 0: its primary's header is torn; the other two replicas are good.
        ChunkInfo torn = placed.get(0);
        tear(torn.getPlacement(0), torn.getChunkId(), 0);
        // Chunk 1: every replica's header is torn: nothing can repair it.
        ChunkInfo lost = placed.get(1);
        for (Replica r : lost.getPlacementList()) {
            tear(r, lost.getChunkId(), 20);
        }
        // A torn replica of a chunk that never existed: a stray.
        Replica any = torn.getPlacement(1);
        Path strayFile = new BrickLayout(cluster.node(nodeOf(any.getAddress())).bricks().get(any.getBrickId()).path())
                .metaFile(0x7777_0000_0000L);
        java.nio.file.Files.createDirectories(strayFile.getParent());
        java.nio.file.Files.write(strayFile, new byte[10]);
        reportEverything();

        Awaitility.await("the torn replica repaired, the lost chunk named, the stray deleted").atMost(HEAL)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    HealInfo h = heal();
                    assertThat(h.getLost()).isEqualTo(1);
                    assertThat(h.getLostChunksList()).singleElement().satisfies(l -> {
                        assertThat(l.getPath()).isEqualTo("/t");
                        assertThat(l.getIndex()).isEqualTo(1);
                    });
                    assertThat(h.getPending()).isZero();
                    ChunkInfo now = chunks(inode).get(0);
                    assertThat(now.getEpoch()).isGreaterThan(torn.getEpoch());
                    assertThat(java.nio.file.Files.exists(strayFile)).isFalse();
                });
        assertEveryReplicaHolds(inode, chunks(inode).get(0), data[0]);
        // A read of the lost chunk fails with EIO as soon as every replica has answered, not after
        // the reader's I/O timeout (ten minutes here: the bound below only catches a hang).
        ChunkReader patient = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofMinutes(10));
        ChunkRef ref1 = new ChunkRef(vol.getVolumeId(), inode, 1, CHUNK, chunks(inode).get(1));
        java.util.concurrent.CompletableFuture<Object> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return patient.read(ref1, 0, 4096);
            } catch (CairnException e) {
                return e;
            }
        });
        Object outcome = read.get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(outcome).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(io.cairn.common.ErrorCode.IO_ERROR));
    }

    /** Commits the file's length, as a client's close does after its bytes are on the replicas. */
    void commit(long inode, long size) throws CairnException {
        io.cairn.proto.CommitWriteRequest.Builder c = io.cairn.proto.CommitWriteRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(inode).setSize(size);
        for (long i = 0; i * CHUNK < size; i++) {
            c.addChunks(io.cairn.proto.ChunkLength.newBuilder().setIndex(i).setLength(Math.min(CHUNK, size - i * CHUNK)));
        }
        meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setCommitWrite(c).build());
    }

    Path dataFile(Replica r, long chunkId) throws Exception {
        return new BrickLayout(cluster.node(nodeOf(r.getAddress())).bricks().get(r.getBrickId()).path()).dataFile(chunkId);
    }

    static void cut(Path file, long bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    byte[] readAll(long inode, long size) throws CairnException {
        ChunkReader reader = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofSeconds(10));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (ChunkInfo c : chunks(inode)) {
            long want = Math.min(CHUNK, size - c.getIndex() * CHUNK);
            if (want <= 0) {
                continue;
            }
            ByteBuffer got = reader.read(new ChunkRef(vol.getVolumeId(), inode, c.getIndex(), CHUNK, c), 0, (int) want).data();
            byte[] bytes = new byte[got.remaining()];
            got.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void bytesACrashTookAreCopiedBackFromAReplicaThatHasThemOrTheFileEndsWhereEveryReplicaEnds() throws Exception {
        start(3, Duration.ofDays(1));
        byte[][] pData = randomChunks(2, 14);
        long p = writeFile("p", pData);
        commit(p, 2 * CHUNK);
        byte[][] qData = randomChunks(1, 15);
        long q = writeFile("q", qData);
        commit(q, CHUNK);
        ChunkInfo pLast = chunks(p).get(1);
        ChunkInfo qOnly = chunks(q).get(0);
        // Every node stops without a clean shutdown; the crash took the end of p's second chunk
        // from every replica, and the end of q's chunk from two of its three.
        List<Path> pFiles = new ArrayList<>();
        for (Replica r : pLast.getPlacementList()) {
            pFiles.add(dataFile(r, pLast.getChunkId()));
        }
        Path q0 = dataFile(qOnly.getPlacement(0), qOnly.getChunkId());
        Path q1 = dataFile(qOnly.getPlacement(1), qOnly.getChunkId());
        for (int i = 0; i < cluster.nodeCount(); i++) {
            cluster.killNode(i);
        }
        for (Path f : pFiles) {
            cut(f, 200_000);
        }
        cut(q0, 70_000);
        cut(q1, 10);
        for (int i = 0; i < cluster.nodeCount(); i++) {
            cluster.startNode(i);
        }
        long survived = 3 * 65536;  // whole 64 KiB blocks below 200,000 bytes
        Awaitility.await("p cut to what survived, q's short replicas copied afresh").atMost(HEAL)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                    assertThat(meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetAttr(io.cairn.proto.GetAttrRequest.newBuilder()
                            .setVolumeId(vol.getVolumeId()).setInode(p)).build()).getAttr().getSize()).isEqualTo(CHUNK + survived);
                    assertThat(chunks(q).get(0).getEpoch()).isGreaterThan(qOnly.getEpoch());
                    assertThat(heal().getPending()).isZero();
                    assertEveryReplicaHolds(q, qData);
                });
        byte[] expected = new byte[(int) (CHUNK + survived)];
        System.arraycopy(pData[0], 0, expected, 0, (int) CHUNK);
        System.arraycopy(pData[1], 0, expected, (int) CHUNK, (int) survived);
        assertThat(readAll(p, CHUNK + survived)).isEqualTo(expected);
        assertThat(heal().getLost()).isZero();
    }

    @Test
    void aChunkNoReplicaOfWhichWasMadeDurableIsCutAwayOnceAReaderMeetsIt() throws Exception {
        start(3, Duration.ofDays(1));
        byte[][] data = randomChunks(2, 16);
        long m = writeFile("m", data);
        commit(m, 2 * CHUNK);
        // A power cut took the second chunk's replica files from every brick (created, never synced),
        // and the files the nodes held open with it (a store keeps a replica's files open between calls).
        ChunkInfo gone = chunks(m).get(1);
        for (Replica r : gone.getPlacementList()) {
            java.nio.file.Files.delete(dataFile(r, gone.getChunkId()));
            java.nio.file.Files.delete(dataFile(r, gone.getChunkId()).resolveSibling(
                    String.format("%016x.meta", gone.getChunkId())));
            cluster.node(nodeOf(r.getAddress())).bricks().get(r.getBrickId()).store().close();
        }
        ChunkReader patient = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofMinutes(10));
        ChunkRef ref = new ChunkRef(vol.getVolumeId(), m, 1, CHUNK, gone);
        Object outcome = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return patient.read(ref, 0, 4096);
            } catch (CairnException e) {
                return e;
            }
        }).get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(outcome).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(io.cairn.common.ErrorCode.IO_ERROR));
        // The read asked the leader to check: the file comes back as the chunk before it, whole.
        Awaitility.await("the file cut to what its replicas hold").atMost(HEAL).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetAttr(
                        io.cairn.proto.GetAttrRequest.newBuilder().setVolumeId(vol.getVolumeId()).setInode(m)).build())
                        .getAttr().getSize()).isEqualTo(CHUNK));
        assertThat(readAll(m, CHUNK)).isEqualTo(data[0]);
    }
}
