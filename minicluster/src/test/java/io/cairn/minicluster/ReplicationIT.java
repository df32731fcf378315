package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.client.MetaClient;
import io.cairn.common.Crc32c;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.WriteRequest;
import io.cairn.common.brick.BrickLayout;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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

/** Writes through a chunk's primary reach every replica; every replica serves them back checked. */
class ReplicationIT {
    private MiniCluster cluster;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    record Placed(MetaClient meta, VolumeInfo vol, ChunkInfo info, ChunkTarget target) {
    }

    /**
     * A size 3 cluster with chunk 0 of a new file placed on all three live nodes (1 MiB chunks).
     * Self-heal scans only hourly here, so the placements these tests degrade stay as they left them
     * (RepairIT covers repair).
     */
    private Placed placedChunk() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3)
                .repair(new io.cairn.meta.MetaConfig.RepairSettings(Duration.ofHours(1), 2, 0)).start();
        long chunkSize = 1 << 20;
        VolumeInfo vol = cluster.createVolume("data", 3, chunkSize);
        MetaClient c = cluster.newMetaClient();
        long file = Ops.create(c, vol.getVolumeId(), vol.getRootInode(), "blob").getInode();
        // The nodes heartbeat on their own; once all three are live the chunk is placed on all three.
        cluster.waitForLiveNodes(Duration.ofSeconds(20));
        ChunkInfo info = c.mutate(Ops.ROOT, MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(file).setIndex(0)).build()).getChunk();
        assertThat(info.getPlacementCount()).isEqualTo(3);
        ChunkTarget target = ChunkTarget.newBuilder().setChunkId(info.getChunkId()).setEpoch(info.getEpoch())
                .setChunkSize(chunkSize).addAllPlacement(info.getPlacementList())
                .setVolumeId(vol.getVolumeId()).setInode(file).setIndex(0).build();
        return new Placed(c, vol, info, target);
    }

    private StorageServiceGrpc.StorageServiceBlockingStub storage(String address) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(4 << 20).build();
        channels.add(ch);
        return StorageServiceGrpc.newBlockingStub(ch);
    }

    @Test
    void aWriteThroughThePrimaryIsOnEveryReplicaAndACorruptReplicaIsCaught() throws Exception {
        Placed p = placedChunk();
        long chunkSize = p.target().getChunkSize();
        ChunkInfo info = p.info();
        ChunkTarget target = p.target();
        Set<Long> nodes = new HashSet<>();
        info.getPlacementList().forEach(r -> nodes.add(r.getNodeId()));
        assertThat(nodes).hasSize(3);

        byte[] data = new byte[(int) chunkSize - 1000];
        new Random(7).nextBytes(data);
        Replica primary = info.getPlacement(0);
        var primaryStub = storage(primary.getAddress());
        int piece = 256 * 1024;
        long written = 0;
        for (int off = 0; off < data.length; off += piece) {
            int len = Math.min(piece, data.length - off);
            ByteBuffer slice = ByteBuffer.wrap(data, off, len);
            WriteRequest.Builder w = WriteRequest.newBuilder().setTarget(target).setBrickId(primary.getBrickId())
                    .setOffset(off).setData(ByteString.copyFrom(slice.duplicate())).setExpectedLength(written)
                    .setSync(off + len == data.length);
            for (int crc : Crc32c.blocks(slice)) {
                w.addCrcs(crc);
            }
            StorageReply reply = primaryStub.write(w.build());
            assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(ErrorCode.OK);
            assertThat(reply.getFailedBricksList()).isEmpty();
            written = reply.getLength();
        }
        assertThat(written).isEqualTo(data.length);

        for (Replica r : info.getPlacementList()) {
            assertThat(readAll(r, target, data.length)).as("replica on " + r.getAddress()).isEqualTo(data);
        }

        // A byte flipped on one replica's disk: that replica refuses to serve, the others still do.
        Replica victim = info.getPlacement(1);
        int victimIndex = nodeIndex(victim.getAddress());
        Path dataFile = new BrickLayout(cluster.node(victimIndex).bricks().get(victim.getBrickId()).path())
                .dataFile(info.getChunkId());
        try (RandomAccessFile f = new RandomAccessFile(dataFile.toFile(), "rw")) {
            f.seek(5000);
            int b = f.read();
            f.seek(5000);
            f.write(b ^ 1);
        }
        ReadReply bad = storage(victim.getAddress()).read(ReadRequest.newBuilder().setTarget(target)
                .setBrickId(victim.getBrickId()).setOffset(4096).setLength(4096).build());
        assertThat(bad.getCode()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
        assertThat(readAll(info.getPlacement(2), target, data.length)).isEqualTo(data);

        // A write from a writer holding an older epoch is fenced.
        WriteRequest stale = WriteRequest.newBuilder().setTarget(target.toBuilder().setEpoch(info.getEpoch() - 1))
                .setBrickId(primary.getBrickId()).setOffset(0).setData(ByteString.copyFrom(new byte[10]))
                .addCrcs(Crc32c.of(new byte[10], 0, 10)).setExpectedLength(written).build();
        StorageReply fenced = primaryStub.write(stale);
        assertThat(fenced.getCode()).isEqualTo(ErrorCode.STALE_EPOCH);
        assertThat(fenced.getCurrentEpoch()).isEqualTo(info.getEpoch());
        assertThat(readAll(primary, target, data.length)).isEqualTo(data);

        // A byte flipped in the primary's replica, which nobody reads: the node's scrubber finds it.
        int primaryIndex = nodeIndex(primary.getAddress());
        var primaryBrick = cluster.node(primaryIndex).bricks().get(primary.getBrickId());
        try (RandomAccessFile f = new RandomAccessFile(new BrickLayout(primaryBrick.path())
                .dataFile(info.getChunkId()).toFile(), "rw")) {
            f.seek(700_000);
            int b = f.read();
            f.seek(700_000);
            f.write(b ^ 4);
        }
        cluster.node(primaryIndex).scrubber().run();
        assertThat(cluster.node(primaryIndex).scrubber().corrupt()).isEqualTo(1);
        assertThat(primaryBrick.store().info(info.getChunkId()).orElseThrow().suspect()).isTrue();
        assertThat(readAll(info.getPlacement(2), target, data.length)).isEqualTo(data);
    }

    @Test
    void aFailedReplicaIsDroppedAtANewEpochAndBelowMinSizeNothingIsAcknowledged() throws Exception {
        Placed p = placedChunk();
        MetaClient c = p.meta();
        VolumeInfo vol = p.vol();
        long file = p.target().getInode();
        ChunkInfo info = p.info();
        ChunkTarget target = p.target();
        Replica primary = info.getPlacement(0);
        var stub = storage(primary.getAddress());
        byte[] data = new byte[300_000];
        new Random(11).nextBytes(data);

        assertThat(stub.write(piece(target, primary, data, 0, 100_000, 0)).getCode()).isEqualTo(ErrorCode.OK);
        Replica lost = info.getPlacement(2);
        int lostNode = nodeIndex(lost.getAddress());
        cluster.stopNode(lostNode);

        StorageReply degraded = stub.write(piece(target, primary, data, 100_000, 100_000, 100_000));
        assertThat(degraded.getCode()).as(degraded.getMessage()).isEqualTo(ErrorCode.OK);
        assertThat(degraded.getFailedBricksList()).containsExactly(lost.getBrickId());
        assertThat(degraded.getNewEpoch()).isEqualTo(info.getEpoch() + 1);
        assertThat(degraded.getNewPlacementList()).extracting(Replica::getBrickId)
                .containsExactly(primary.getBrickId(), info.getPlacement(1).getBrickId());
        ChunkTarget epoch2 = target.toBuilder().setEpoch(degraded.getNewEpoch()).clearPlacement()
                .addAllPlacement(degraded.getNewPlacementList()).build();
        byte[] acknowledged = java.util.Arrays.copyOf(data, 200_000);
        for (Replica r : epoch2.getPlacementList()) {
            assertThat(readAll(r, epoch2, acknowledged.length)).isEqualTo(acknowledged);
        }
        // The meta service agrees on the new epoch and placement.
        ChunkInfo recorded = c.query(Ops.ROOT, io.cairn.proto.MetaQuery.newBuilder().setGetChunks(
                io.cairn.proto.GetChunksRequest.newBuilder().setVolumeId(vol.getVolumeId()).setInode(file))
                .build()).getChunks().getChunks(0);
        assertThat(recorded.getEpoch()).isEqualTo(degraded.getNewEpoch());
        assertThat(recorded.getPlacementCount()).isEqualTo(2);

        // The lost node returns: its replica is at the old epoch and is never served at the new one.
        // Its first heartbeat reports the replica, and the leader has it deleted (it left the
        // placement behind the epoch): until then a read is fenced, afterwards there is nothing.
        cluster.startNode(lostNode);
        ReadRequest staleRead = ReadRequest.newBuilder().setTarget(epoch2)
                .setBrickId(lost.getBrickId()).setOffset(0).setLength(1000).build();
        assertThat(storage(lost.getAddress()).read(staleRead).getCode())
                .isIn(ErrorCode.STALE_EPOCH, ErrorCode.NOT_FOUND);
        Awaitility.await("the returning node's stale replica deleted").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> storage(lost.getAddress()).read(staleRead).getCode() == ErrorCode.NOT_FOUND);

        // A second replica fails: one would remain, min-size is 2, so the write is not acknowledged.
        cluster.stopNode(nodeIndex(info.getPlacement(1).getAddress()));
        StorageReply refused = stub.write(piece(epoch2, primary, data, 200_000, 100_000, 200_000));
        assertThat(refused.getCode()).as(refused.getMessage()).isEqualTo(ErrorCode.QUORUM_NOT_MET);
        ChunkInfo after = c.query(Ops.ROOT, io.cairn.proto.MetaQuery.newBuilder().setGetChunks(
                io.cairn.proto.GetChunksRequest.newBuilder().setVolumeId(vol.getVolumeId()).setInode(file))
                .build()).getChunks().getChunks(0);
        assertThat(after.getEpoch()).isEqualTo(degraded.getNewEpoch());
        assertThat(readAll(primary, epoch2, acknowledged.length)).startsWith(acknowledged);
    }

    private static WriteRequest piece(ChunkTarget target, Replica primary, byte[] data, int offset, int length,
                                      long expected) {
        ByteBuffer slice = ByteBuffer.wrap(data, offset, length);
        WriteRequest.Builder w = WriteRequest.newBuilder().setTarget(target).setBrickId(primary.getBrickId())
                .setOffset(offset).setData(ByteString.copyFrom(slice.duplicate())).setExpectedLength(expected);
        for (int crc : Crc32c.blocks(slice)) {
            w.addCrcs(crc);
        }
        return w.build();
    }

    /**
     * Eight writers overwrite the same region of one chunk at once, so the primary has many
     * pieces in flight; whatever order they land in, every replica ends with the primary's bytes.
     */
    @Test
    void concurrentOverlappingWritesLeaveEveryReplicaIdentical() throws Exception {
        Placed p = placedChunk();
        Replica primary = p.info().getPlacement(0);
        var stub = storage(primary.getAddress());
        int region = 512 * 1024;
        List<Thread> writers = new ArrayList<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < 8; w++) {
            int seed = w;
            Thread t = new Thread(() -> {
                Random rnd = new Random(seed);
                for (int i = 0; i < 40; i++) {
                    byte[] piece = new byte[64 * 1024 + rnd.nextInt(64 * 1024)];
                    rnd.nextBytes(piece);
                    int off = rnd.nextInt(region - piece.length);
                    WriteRequest.Builder b = WriteRequest.newBuilder().setTarget(p.target())
                            .setBrickId(primary.getBrickId()).setOffset(off).setData(ByteString.copyFrom(piece));
                    for (int crc : Crc32c.blocks(ByteBuffer.wrap(piece))) {
                        b.addCrcs(crc);
                    }
                    StorageReply r = stub.write(b.build());
                    if (r.getCode() != ErrorCode.OK || r.getFailedBricksCount() > 0) {
                        problems.add(r.getCode() + " " + r.getMessage());
                    }
                }
            });
            writers.add(t);
            t.start();
        }
        for (Thread t : writers) {
            t.join();
        }
        assertThat(problems).isEmpty();
        byte[] reference = readAll(primary, p.target(), region);
        for (Replica r : p.info().getPlacementList()) {
            assertThat(readAll(r, p.target(), region)).as("replica on " + r.getAddress()).isEqualTo(reference);
        }
    }

    private int nodeIndex(String address) {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i).address().equals(address)) {
                return i;
            }
        }
        throw new IllegalArgumentException(address);
    }

    /** A range of a write call: its bytes and their checksums. */
    private static io.cairn.proto.WriteExtent extent(long offset, byte[] bytes) {
        io.cairn.proto.WriteExtent.Builder e = io.cairn.proto.WriteExtent.newBuilder().setOffset(offset)
                .setData(ByteString.copyFrom(bytes));
        for (int crc : Crc32c.blocks(ByteBuffer.wrap(bytes))) {
            e.addCrcs(crc);
        }
        return e.build();
    }

    @Test
    void aCallWithSeveralRangesLandsAlikeOnEveryReplicaAndABadRangeIsRefusedWhole() throws Exception {
        Placed p = placedChunk();
        ChunkTarget target = p.target();
        Replica primary = p.info().getPlacement(0);
        var stub = storage(primary.getAddress());
        byte[] expected = new byte[300_000];
        Random random = new Random(11);
        // Scattered small writes, out of offset order, one overlapping another: applied in call order.
        long[] offsets = {200_000, 4096, 70_000, 4100, 150_000};
        WriteRequest.Builder w = WriteRequest.newBuilder().setTarget(target).setBrickId(primary.getBrickId());
        for (int i = 0; i < offsets.length; i++) {
            byte[] bytes = new byte[4096 + i * 1000];
            random.nextBytes(bytes);
            System.arraycopy(bytes, 0, expected, (int) offsets[i], bytes.length);
            io.cairn.proto.WriteExtent e = extent(offsets[i], bytes);
            if (i == 0) {
                w.setOffset(e.getOffset()).setData(e.getData()).addAllCrcs(e.getCrcsList());
            } else {
                w.addExtents(e);
            }
        }
        StorageReply reply = stub.write(w.setSync(true).build());
        assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(ErrorCode.OK);
        assertThat(reply.getFailedBricksList()).isEmpty();
        int length = (int) reply.getLength();
        assertThat(length).isEqualTo(200_000 + 4096);
        for (Replica r : p.info().getPlacementList()) {
            assertThat(readAll(r, target, length)).as("replica on " + r.getAddress())
                    .isEqualTo(java.util.Arrays.copyOf(expected, length));
        }
        // A range past the chunk's end: the call is refused before anything of it is written.
        StorageReply refused = stub.write(WriteRequest.newBuilder().setTarget(target).setBrickId(primary.getBrickId())
                .setOffset(0).setData(ByteString.copyFrom(new byte[10])).addAllCrcs(extent(0, new byte[10]).getCrcsList())
                .addExtents(extent(target.getChunkSize() - 5, new byte[10])).setExpectedLength(length).build());
        assertThat(refused.getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        for (Replica r : p.info().getPlacementList()) {
            assertThat(readAll(r, target, length)).isEqualTo(java.util.Arrays.copyOf(expected, length));
        }
    }

    private byte[] readAll(Replica r, ChunkTarget target, int length) {
        var stub = storage(r.getAddress());
        ByteBuffer out = ByteBuffer.allocate(length);
        while (out.hasRemaining()) {
            ReadReply reply = stub.read(ReadRequest.newBuilder().setTarget(target).setBrickId(r.getBrickId())
                    .setOffset(out.position()).setLength(Math.min(1 << 20, out.remaining())).build());
            assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(ErrorCode.OK);
            if (reply.getData().isEmpty()) {
                break;
            }
            out.put(reply.getData().asReadOnlyByteBuffer());
        }
        return out.array();
    }
}
