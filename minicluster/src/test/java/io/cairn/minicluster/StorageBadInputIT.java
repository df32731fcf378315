package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.client.MetaClient;
import io.cairn.client.data.StorageClient;
import io.cairn.common.Crc32c;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.chunk.ReplicaInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad calls to a storage node, as a buggy or hostile peer would send them: each gets a clear
 * error and leaves every replica exactly as it was.
 */
class StorageBadInputIT {
    static final long CHUNK = 1 << 20;
    static MiniCluster cluster;
    static MetaClient meta;
    static StorageClient storage;
    static ChunkTarget target;
    static Replica primary;
    static byte[] data = new byte[100_000];

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(1).storageNodes(3).start();
        VolumeInfo vol = cluster.createVolume("data", 3, CHUNK);
        meta = cluster.newMetaClient();
        storage = new StorageClient(Duration.ofSeconds(10));
        cluster.waitForLiveNodes(Duration.ofSeconds(20));
        long file = Ops.create(meta, vol.getVolumeId(), vol.getRootInode(), "f").getInode();
        ChunkInfo info = meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(file).setIndex(0)).build()).getChunk();
        target = ChunkTarget.newBuilder().setChunkId(info.getChunkId()).setEpoch(info.getEpoch()).setChunkSize(CHUNK)
                .addAllPlacement(info.getPlacementList()).setVolumeId(vol.getVolumeId()).setInode(file).setIndex(0).build();
        primary = info.getPlacement(0);
        new java.util.Random(1).nextBytes(data);
        StorageReply ok = storage.blocking(primary.getAddress()).write(good().build());
        assertThat(ok.getCode()).as(ok.getMessage()).isEqualTo(ErrorCode.OK);
    }

    @AfterAll
    static void stop() {
        storage.close();
        cluster.close();
    }

    static WriteRequest.Builder good() {
        WriteRequest.Builder w = WriteRequest.newBuilder().setTarget(target).setBrickId(primary.getBrickId())
                .setOffset(0).setData(ByteString.copyFrom(data)).setSync(true);
        for (int c : Crc32c.blocks(ByteBuffer.wrap(data))) {
            w.addCrcs(c);
        }
        return w;
    }

    static Stream<Arguments> badWrites() {
        return Stream.of(
                bad("a wrong checksum", ErrorCode.CHECKSUM_MISMATCH, w -> w.setCrcs(0, w.getCrcs(0) ^ 1)),
                bad("too few checksums", ErrorCode.INVALID_ARGUMENT, w -> w.clearCrcs()),
                bad("a stale epoch", ErrorCode.STALE_EPOCH,
                        w -> w.setTarget(target.toBuilder().setEpoch(target.getEpoch() - 1)).setExpectedLength(data.length)),
                bad("an epoch from the future", ErrorCode.STALE_EPOCH,
                        w -> w.setTarget(target.toBuilder().setEpoch(target.getEpoch() + 7)).setExpectedLength(data.length)),
                bad("an unknown chunk that should hold data", ErrorCode.NOT_FOUND,
                        w -> w.setTarget(target.toBuilder().setChunkId(999_999)).setExpectedLength(4096)),
                bad("an offset past the chunk size", ErrorCode.INVALID_ARGUMENT,
                        w -> w.setOffset(CHUNK - 10).setExpectedLength(data.length)),
                bad("a piece over 1 MiB", ErrorCode.INVALID_ARGUMENT,
                        w -> w.setData(ByteString.copyFrom(new byte[(1 << 20) + 1])).clearCrcs()),
                bad("a brick that is not the primary", ErrorCode.INVALID_ARGUMENT,
                        w -> w.setBrickId(target.getPlacement(1).getBrickId())),
                bad("a brick this node does not serve", ErrorCode.INVALID_ARGUMENT, w -> w.setBrickId(424242)));
    }

    static Arguments bad(String what, ErrorCode code, UnaryOperator<WriteRequest.Builder> spoil) {
        return Arguments.of(what, code, spoil);
    }

    static List<Optional<ReplicaInfo>> replicas() throws Exception {
        List<Optional<ReplicaInfo>> out = new ArrayList<>();
        for (int i = 0; i < cluster.nodeCount(); i++) {
            for (var b : cluster.node(i).bricks().all()) {
                out.add(b.store().info(target.getChunkId()));
                out.add(b.store().info(999_999));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWrites")
    void aBadWriteIsRefusedAndChangesNoReplica(String what, ErrorCode code, UnaryOperator<WriteRequest.Builder> spoil)
            throws Exception {
        List<Optional<ReplicaInfo>> before = replicas();
        StorageReply r = storage.blocking(primary.getAddress()).write(spoil.apply(good()).build());
        assertThat(r.getCode()).as(r.getMessage()).isEqualTo(code);
        assertThat(r.getMessage()).isNotBlank();
        assertThat(replicas()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWrites")
    void aBadReplicateIsRefusedToo(String what, ErrorCode code, UnaryOperator<WriteRequest.Builder> spoil) throws Exception {
        if (what.contains("primary")) {
            return;  // replicate goes to any member
        }
        Replica replica = target.getPlacement(1);
        List<Optional<ReplicaInfo>> before = replicas();
        WriteRequest w = spoil.apply(good().setBrickId(replica.getBrickId()).setExpectedLength(data.length)).build();
        if (what.contains("does not serve")) {
            w = w.toBuilder().setBrickId(424242).build();
        }
        StorageReply r = storage.blocking(replica.getAddress()).replicate(w);
        assertThat(r.getCode()).as(what + ": " + r.getMessage()).isNotEqualTo(ErrorCode.OK);
        assertThat(replicas()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void repairCallsThatMakeNoSenseAreRefused() throws Exception {
        List<Optional<ReplicaInfo>> before = replicas();
        Replica second = target.getPlacement(1);
        StorageReply notPrimary = storage.blocking(second.getAddress()).repair(RepairRequest.newBuilder()
                .setTarget(target).setBrickId(second.getBrickId()).build());
        assertThat(notPrimary.getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(notPrimary.getMessage()).contains("not the primary");
        StorageReply freshMidway = storage.blocking(second.getAddress()).replicate(good().setBrickId(second.getBrickId())
                .setOffset(4096).setFresh(true).build());
        assertThat(freshMidway.getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(replicas()).isEqualTo(before);
    }
}
