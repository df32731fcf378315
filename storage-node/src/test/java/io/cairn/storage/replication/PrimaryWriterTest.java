package io.cairn.storage.replication;

import static io.cairn.storage.replication.LocalCluster.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.BricksFullException;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Replies;
import io.cairn.common.StaleEpochException;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.WriteRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The primary's side of a write: ordering, epoch fencing, failed and full replicas, over three local nodes. */
class PrimaryWriterTest {
    @TempDir
    Path dir;
    LocalCluster cluster;

    LocalCluster cluster(int minSize) throws Exception {
        cluster = new LocalCluster(dir, 3, 3, minSize);
        return cluster;
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void assertIdentical(LocalCluster c, long epoch, long... bricks) throws CairnException {
        byte[] primary = c.node(bricks[0]).bytes();
        for (long b : bricks) {
            assertThat(c.node(b).info().epoch()).as("epoch of brick " + b).isEqualTo(epoch);
            assertThat(c.node(b).bytes()).as("bytes of brick " + b).isEqualTo(primary);
        }
    }

    @Test
    void pipelinedOverlappingWritesFromManyThreadsLeaveEveryReplicaEqualToThePrimary() throws Exception {
        LocalCluster c = cluster(2);
        ChunkTarget t = c.meta.target();
        assertThat(c.writeThroughPrimary(t, 0, random(200_000, 1)).getCode()).isEqualTo(io.cairn.proto.ErrorCode.OK);
        int threads = 8;
        int writesEach = 40;
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<StorageReply>>> done = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                long seed = 100 + w;
                done.add(writers.submit(() -> {
                    Random r = new Random(seed);
                    List<StorageReply> replies = new ArrayList<>();
                    for (int i = 0; i < writesEach; i++) {
                        // Overlapping ranges, unaligned, some past the current end: every order of
                        // application but the primary's leaves different bytes.
                        int length = 1 + r.nextInt(100_000);
                        long offset = r.nextInt(400_000);
                        replies.add(c.writeThroughPrimary(t, offset, random(length, r.nextLong())));
                    }
                    return replies;
                }));
            }
            for (Future<List<StorageReply>> f : done) {
                for (StorageReply reply : f.get()) {
                    assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(io.cairn.proto.ErrorCode.OK);
                    assertThat(reply.getFailedBricksList()).isEmpty();
                }
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(c.meta.epoch()).as("no replica was dropped").isEqualTo(1);
        assertIdentical(c, 1, 1, 2, 3);
    }

    @Test
    void aWriterAtAnOldEpochIsRefusedWithTheCurrentEpochAndChangesNothing() throws Exception {
        LocalCluster c = cluster(2);
        ChunkTarget old = c.meta.target();
        c.writeThroughPrimary(old, 0, random(70_000, 1));
        ChunkTarget now = moveEveryReplica(c, old);
        byte[] before = c.node(1).bytes();

        assertThatThrownBy(() -> c.writeThroughPrimary(old, 0, random(70_000, 2)))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STALE_EPOCH);
                    assertThat(e.currentEpoch()).isEqualTo(now.getEpoch());
                    assertThat(Replies.storage(e).getCurrentEpoch()).as("what the writer is told").isEqualTo(2);
                });
        assertThat(c.node(1).bytes()).isEqualTo(before);
        assertIdentical(c, 2, 1, 2, 3);
        assertThat(c.writeThroughPrimary(now, 0, random(70_000, 3)).getFailedBricksList()).isEmpty();
        assertIdentical(c, 2, 1, 2, 3);
    }

    /** Meta moves the chunk to the next epoch with the same placement and every replica follows. */
    static ChunkTarget moveEveryReplica(LocalCluster c, ChunkTarget t) throws CairnException {
        c.meta.replace(t, c.meta.placement());
        ChunkTarget now = c.meta.target();
        for (LocalCluster.Node n : c.nodes.values()) {
            n.applier.setEpoch(ChunkRequest.newBuilder().setTarget(now).setBrickId(n.brick).build());
        }
        return now;
    }

    @Test
    void aPrimaryBehindTheWritersEpochCatchesUpWhenMetaConfirmsItAndRefusesWhenMetaDoesNot() throws Exception {
        LocalCluster c = cluster(2);
        ChunkTarget old = c.meta.target();
        c.writeThroughPrimary(old, 0, random(70_000, 1));
        // Meta moved on (a writer replaced the primary and back) while no replica has heard of it.
        c.meta.replace(old, c.meta.placement());
        ChunkTarget now = c.meta.target();
        ChunkTarget ahead = now.toBuilder().setEpoch(now.getEpoch() + 1).build();

        assertThatThrownBy(() -> c.writeThroughPrimary(ahead, 0, random(10, 2)))
                .as("an epoch meta never committed").isInstanceOfSatisfying(StaleEpochException.class,
                        e -> assertThat(e.currentEpoch()).isEqualTo(now.getEpoch()));
        assertThat(c.node(1).info().epoch()).isEqualTo(1);

        StorageReply reply = c.writeThroughPrimary(now, 50_000, random(70_000, 3));
        assertThat(reply.getCode()).isEqualTo(io.cairn.proto.ErrorCode.OK);
        assertThat(reply.getFailedBricksList()).isEmpty();
        assertThat(reply.getLength()).isEqualTo(120_000);
        assertIdentical(c, 2, 1, 2, 3);
    }

    @Test
    void aReplicaThatCannotFollowTheCatchUpRefusesTheNextPieceAndIsDropped() throws Exception {
        LocalCluster c = cluster(2);
        ChunkTarget old = c.meta.target();
        c.writeThroughPrimary(old, 0, random(70_000, 1));
        c.meta.replace(old, c.meta.placement());
        ChunkTarget now = c.meta.target();
        c.link = (brick, call) -> brick == 3 && call instanceof ChunkRequest
                ? Replies.storage(new CairnException(ErrorCode.IO_ERROR, "brick 3 is unreachable")) : null;

        StorageReply reply = c.writeThroughPrimary(now, 0, random(70_000, 2));

        assertThat(reply.getCode()).isEqualTo(io.cairn.proto.ErrorCode.OK);
        assertThat(reply.getFailedBricksList()).containsExactly(3L);
        assertThat(reply.getNewEpoch()).isEqualTo(3);
        assertThat(reply.getNewPlacementList()).extracting(Replica::getBrickId).containsExactly(1L, 2L);
        assertThat(c.meta.placement()).containsExactly(1L, 2L);
        assertIdentical(c, 3, 1, 2);
        assertThat(c.node(3).info().epoch()).as("fenced at the epoch it had").isEqualTo(1);
    }

    enum Fault { REFUSES, UNREACHABLE }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aReplicaFailingMidStreamIsDroppedAtTheNextEpochAndTheOthersStayIdentical(Fault fault) throws Exception {
        LocalCluster c = cluster(2);
        AtomicInteger pieces = new AtomicInteger();
        c.link = (brick, call) -> {
            if (brick == 3 && call instanceof WriteRequest && pieces.incrementAndGet() > 3) {
                if (fault == Fault.UNREACHABLE) {
                    throw new java.io.IOException("connection reset by brick 3");
                }
                return Replies.storage(new CairnException(ErrorCode.IO_ERROR, "brick 3's disk failed"));
            }
            return null;
        };
        ChunkTarget t = c.meta.target();
        int piece = 100_000;
        List<StorageReply> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            StorageReply reply = c.writeThroughPrimary(t, (long) i * piece, random(piece, i));
            replies.add(reply);
            if (reply.getNewEpoch() != 0) {
                t = t.toBuilder().setEpoch(reply.getNewEpoch()).clearPlacement().addAllPlacement(reply.getNewPlacementList()).build();
            }
        }

        for (int i = 0; i < 6; i++) {
            assertThat(replies.get(i).getCode()).as("piece " + i).isEqualTo(io.cairn.proto.ErrorCode.OK);
        }
        assertThat(replies.get(3).getFailedBricksList()).containsExactly(3L);
        assertThat(replies.get(3).getNewEpoch()).isEqualTo(2);
        assertThat(replies.get(3).getNewPlacementList()).extracting(Replica::getBrickId).containsExactly(1L, 2L);
        assertThat(replies.subList(4, 6)).allSatisfy(r -> assertThat(r.getFailedBricksList()).isEmpty());
        assertThat(c.meta.epoch()).isEqualTo(2);
        assertIdentical(c, 2, 1, 2);
        assertThat(c.node(1).info().length()).isEqualTo(6L * piece);
        assertThat(c.node(3).info().epoch()).isEqualTo(1);
        assertThat(c.node(3).bytes()).as("the three pieces it took")
                .isEqualTo(java.util.Arrays.copyOf(c.node(1).bytes(), 3 * piece));

        // Fenced: a piece of the new epoch is refused, with the epoch the replica is at.
        WriteRequest late = LocalCluster.write(t, 0, random(10, 9)).toBuilder().setBrickId(3).build();
        assertThatThrownBy(() -> c.node(3).applier.apply(late)).isInstanceOfSatisfying(StaleEpochException.class,
                e -> assertThat(e.currentEpoch()).isEqualTo(1));
        assertThat(c.node(3).info().length()).isEqualTo(3L * piece);
    }

    /** What a write ends in when replicas fail this way and meta has this min-size. */
    static Stream<Arguments> fullReplicas() {
        return Stream.of(
                Arguments.of(Map.of(3L, ErrorCode.NO_SPACE), 3, ErrorCode.NO_SPACE),
                Arguments.of(Map.of(2L, ErrorCode.NO_SPACE, 3L, ErrorCode.NO_SPACE), 2, ErrorCode.NO_SPACE),
                Arguments.of(Map.of(3L, ErrorCode.IO_ERROR), 3, ErrorCode.QUORUM_NOT_MET),
                Arguments.of(Map.of(2L, ErrorCode.NO_SPACE, 3L, ErrorCode.IO_ERROR), 2, ErrorCode.QUORUM_NOT_MET),
                Arguments.of(Map.of(3L, ErrorCode.NO_SPACE), 2, ErrorCode.OK));
    }

    @ParameterizedTest
    @MethodSource("fullReplicas")
    void fullReplicasThatCannotBeDroppedGiveNoSpaceNotAQuorumError(Map<Long, ErrorCode> faults, int minSize,
                                                                   ErrorCode expected) throws Exception {
        LocalCluster c = cluster(minSize);
        ChunkTarget t = c.meta.target();
        c.writeThroughPrimary(t, 0, random(70_000, 1));
        c.link = (brick, call) -> call instanceof WriteRequest && faults.containsKey(brick)
                ? Replies.storage(new CairnException(faults.get(brick), "brick " + brick + " says " + faults.get(brick))) : null;

        if (expected == ErrorCode.OK) {
            StorageReply reply = c.writeThroughPrimary(t, 0, random(70_000, 2));
            assertThat(reply.getFailedBricksList()).containsExactlyElementsOf(faults.keySet());
            assertThat(reply.getNewEpoch()).isEqualTo(2);
            return;
        }
        assertThatThrownBy(() -> c.writeThroughPrimary(t, 0, random(70_000, 2)))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(expected);
                    if (expected == ErrorCode.NO_SPACE) {
                        assertThat(e).isInstanceOf(BricksFullException.class);
                        assertThat(((BricksFullException) e).bricks()).containsExactlyInAnyOrderElementsOf(faults.keySet());
                        assertThat(Replies.storage(e).getFailedBricksList()).containsExactlyInAnyOrderElementsOf(faults.keySet());
                    }
                });
        assertThat(c.meta.epoch()).as("the placement did not change").isEqualTo(1);
        assertThat(c.meta.placement()).containsExactly(1L, 2L, 3L);
    }
}
