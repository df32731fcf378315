package io.cairn.meta.rpc;

import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.FixtureTest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.Replica;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The leader's check that a commit's chunk lengths are held by the replicas of the chunk's epoch. */
class CommitBackingTest extends FixtureTest {
    /** Replica lengths by brick; a missing brick does not answer, a negative length holds no replica. */
    final Map<Long, Long> held = new HashMap<>();
    final List<Long> asked = new ArrayList<>();

    final io.cairn.meta.repair.ReplicaLengths fake = new io.cairn.meta.repair.ReplicaLengths() {
        @Override
        public CompletableFuture<Long> length(ChunkInfo chunk, long chunkSize, int volumeId, long inode, Replica replica) {
            asked.add(replica.getBrickId());
            Long len = held.get(replica.getBrickId());
            if (len == null) {
                return CompletableFuture.failedFuture(new CairnException(ErrorCode.UNAVAILABLE, "down"));
            }
            if (len < 0) {
                return CompletableFuture.failedFuture(new CairnException(ErrorCode.NOT_FOUND, "no replica"));
            }
            return CompletableFuture.completedFuture(len);
        }

        @Override
        public void close() {
        }
    };

    private CommitBacking backing() {
        return new CommitBacking(fx::store, fake);
    }

    private long fileWithChunk0(long committedLength) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        List<Long> b = fx.bricks();
        ok(fx.asRoot().allocate(f, 0, b.get(0), b.get(1), b.get(2)));
        if (committedLength > 0) {
            ok(fx.asRoot().commitWrite(f, committedLength, 0,
                    ChunkLength.newBuilder().setIndex(0).setLength(committedLength).build()));
        }
        return f;
    }

    private CommitWriteRequest commit(long inode, long length) {
        return CommitWriteRequest.newBuilder().setVolumeId(fx.vol()).setInode(inode).setSize(length)
                .addChunks(ChunkLength.newBuilder().setIndex(0).setLength(length)).build();
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void anExtensionThePrimaryHoldsPassesWithOneQuestion() {
        long f = fileWithChunk0(0);
        held.put(fx.bricks().get(0), 4096L);
        assertThat(failure(backing().verify(commit(f, 4096)))).isNull();
        assertThat(asked).containsExactly(fx.bricks().get(0));
    }

    @Test
    void anExtensionNoReplicaHoldsIsRefusedAsNotBacked() {
        long f = fileWithChunk0(0);
        held.put(fx.bricks().get(0), 100L);
        Throwable e = failure(backing().verify(commit(f, 700_000)));
        assertThat(e).isInstanceOf(CairnException.class).hasMessageContaining("not backed by the replicas");
        assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aPrimaryWithoutAReplicaMeansNoBytes() {
        long f = fileWithChunk0(0);
        held.put(fx.bricks().get(0), -1L);
        assertThat(((CairnException) failure(backing().verify(commit(f, 10)))).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void anUnreachablePrimaryIsPassedOverForTheNextReplica() {
        long f = fileWithChunk0(0);
        held.put(fx.bricks().get(1), 4096L);
        assertThat(failure(backing().verify(commit(f, 4096)))).isNull();
        assertThat(asked).containsExactly(fx.bricks().get(0), fx.bricks().get(1));
    }

    @Test
    void noReplicaAnsweringIsRetryableNotARefusal() {
        long f = fileWithChunk0(0);
        assertThat(((CairnException) failure(backing().verify(commit(f, 4096)))).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void lengthsMetaAlreadyRecordsAskNobody() {
        long f = fileWithChunk0(5000);
        assertThat(failure(backing().verify(commit(f, 4096)))).isNull();
        assertThat(failure(backing().verify(commit(f, 5000)))).isNull();
        assertThat(asked).isEmpty();
    }

    @Test
    void whatApplyRefusesAnywayAsksNobody() {
        long f = fileWithChunk0(0);
        CommitWriteRequest unknownVolume = commit(f, 10).toBuilder().setVolumeId(9999).build();
        CommitWriteRequest unallocated = commit(f, 10).toBuilder().setChunks(0, ChunkLength.newBuilder().setIndex(3).setLength(10)).build();
        CommitWriteRequest overChunk = commit(f, 10).toBuilder().setChunks(0, ChunkLength.newBuilder().setIndex(0).setLength(-1)).build();
        for (CommitWriteRequest r : List.of(unknownVolume, unallocated, overChunk)) {
            assertThat(failure(backing().verify(r))).isNull();
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void aRefusalSaysWhichChunkAndWhatTheReplicaHolds() {
        ChunkInfo c = ChunkInfo.newBuilder().setIndex(2).setEpoch(3).build();
        assertThat(CommitBacking.notBacked(c, 77, 5000, Replica.newBuilder().setBrickId(9).build(), 10).getMessage())
                .isEqualTo("length 5000 of chunk 2 of inode 77 is not backed by the replicas: brick 9 holds 10 bytes"
                        + " at epoch 3; the file is unchanged");
    }

    @Test
    void aCommitThatNeverExtendsPassesEvenWithEveryReplicaDown() {
        long f = fileWithChunk0(5000);
        assertThat(failure(backing().verify(commit(f, 6000)))).isInstanceOf(CairnException.class);
        assertThat(failure(backing().verify(commit(f, 1)))).isNull();
    }
}
