package io.cairn.meta.rpc;

import static io.cairn.meta.NamespaceFixture.CLIENT;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.meta.namespace.DirLeases;
import io.cairn.meta.namespace.FileLeases;
import io.cairn.proto.AcquireLeaseRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.ReleaseLocksRequest;
import io.cairn.proto.Replica;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Held file lengths: an fdatasync's commit takes a lease on the file's length, the holder's next
 * commit ends it, another client's change waits for it, and when the holder's session ends the
 * leader commits what the replicas hold before the session's other leases go.
 */
class SessionEndsTest extends FixtureTest {
    private static final ByteString OTHER = ByteString.copyFrom(new byte[] {
            9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    private long call = 2_000_000;

    /** Replica lengths by brick; a missing brick does not answer. */
    final Map<Long, Long> held = new HashMap<>();
    final List<MetaMutation> proposed = new ArrayList<>();

    final io.cairn.meta.repair.ReplicaLengths fake = new io.cairn.meta.repair.ReplicaLengths() {
        @Override
        public CompletableFuture<Long> length(ChunkInfo chunk, long chunkSize, int volumeId, long inode, Replica replica) {
            Long len = held.get(replica.getBrickId());
            return len == null ? CompletableFuture.failedFuture(new CairnException(ErrorCode.UNAVAILABLE, "down"))
                    : CompletableFuture.completedFuture(len);
        }

        @Override
        public void close() {
        }
    };

    private SessionEnds ends() {
        return new SessionEnds("m1", fx::store, fake, m -> {
            proposed.add(m);
            return CompletableFuture.completedFuture(
                    fx.applyEntry(List.of(NamespaceFixture.anonymous(ROOT, m))).getReplies(0));
        });
    }

    private MetaReply as(ByteString client, MetaMutation m) {
        return fx.applyEntry(List.of(NamespaceFixture.logged(client, ++call, ROOT, m))).getReplies(0);
    }

    private MetaMutation commit(long inode, long length, boolean hold) {
        return MetaMutation.newBuilder().setCommitWrite(CommitWriteRequest.newBuilder().setVolumeId(fx.vol())
                .setInode(inode).setSize(length).setHoldLength(hold)
                .addChunks(ChunkLength.newBuilder().setIndex(0).setLength(length))).build();
    }

    private long fileWithChunk0() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        List<Long> b = fx.bricks();
        ok(fx.asRoot().allocate(f, 0, b.get(0), b.get(1), b.get(2)));
        return f;
    }

    @Test
    void aHoldingCommitTakesTheLeaseAndThePlainOneEndsIt() {
        long f = fileWithChunk0();
        ok(as(CLIENT, commit(f, 4096, true)));
        assertThat(DirLeases.holder(fx.store(), f)).contains(CLIENT);
        assertThat(FileLeases.heldBy(fx.store(), CLIENT)).containsExactly(f);

        ok(as(CLIENT, commit(f, 8192, true)));  // the holder commits again and keeps it
        assertCode(as(OTHER, commit(f, 100, false)), io.cairn.proto.ErrorCode.LEASED);
        assertCode(as(OTHER, commit(f, 100, true)), io.cairn.proto.ErrorCode.LEASED);

        ok(as(CLIENT, commit(f, 12288, false)));
        assertThat(DirLeases.holder(fx.store(), f)).isEmpty();
        assertThat(fx.attr(f).getSize()).isEqualTo(12288);
        ok(as(OTHER, commit(f, 100, false)));
    }

    @Test
    void onlyTheLeaderSettlesAndAHoldNeedsAClientId() {
        long f = fileWithChunk0();
        MetaMutation settle = MetaMutation.newBuilder().setCommitWrite(commit(f, 10, false).getCommitWrite().toBuilder()
                .setSettles(CLIENT)).build();
        assertCode(fx.applyEntry(List.of(NamespaceFixture.logged(OTHER, ++call, NamespaceFixture.ALICE, settle)))
                .getReplies(0), io.cairn.proto.ErrorCode.NOT_PERMITTED);
        assertCode(fx.applyEntry(List.of(NamespaceFixture.anonymous(ROOT, commit(f, 10, true)))).getReplies(0),
                io.cairn.proto.ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.attr(f).getSize()).isZero();
    }

    @Test
    void theEndOfASessionKeepsItsFileLeasesButNotItsDirectoryLeases() {
        long f = fileWithChunk0();
        long d = fx.mkdir(fx.root(), "d", 0777);
        ok(as(CLIENT, MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder().setVolumeId(fx.vol())
                .setInode(d)).build()));
        ok(as(CLIENT, commit(f, 4096, true)));
        ok(fx.apply(ROOT, release(CLIENT)));
        assertThat(DirLeases.holder(fx.store(), d)).isEmpty();
        assertThat(DirLeases.holder(fx.store(), f)).as("only the replicas know its length").contains(CLIENT);
    }

    @Test
    void aSessionsEndCommitsTheShortestLengthItsReplicasHoldThenReleases() {
        long f = fileWithChunk0();
        ok(as(CLIENT, commit(f, 4096, true)));
        List<Long> b = fx.bricks();
        held.put(b.get(0), 3L * 4096);
        held.put(b.get(1), 3L * 4096);
        held.put(b.get(2), 2L * 4096 + 100);  // a write not yet on every replica was never acknowledged

        ok(ends().propose(release(CLIENT)).join());
        assertThat(fx.attr(f).getSize()).isEqualTo(2L * 4096 + 100);
        assertThat(fx.chunks(f).get(0).getLength()).isEqualTo(2L * 4096 + 100);
        assertThat(DirLeases.holder(fx.store(), f)).isEmpty();
        assertThat(proposed).hasSize(2);
        assertThat(proposed.get(0).getCommitWrite().getSettles()).isEqualTo(CLIENT);
        assertThat(proposed.get(1).hasReleaseLocks()).isTrue();
    }

    @Test
    void aReplicaDownIsPassedOverAndNoneAnsweringKeepsTheLease() {
        long f = fileWithChunk0();
        ok(as(CLIENT, commit(f, 4096, true)));
        ok(ends().propose(release(CLIENT)).join());
        assertThat(DirLeases.holder(fx.store(), f)).as("tried again at the next round").contains(CLIENT);
        assertThat(fx.attr(f).getSize()).isEqualTo(4096);

        held.put(fx.bricks().get(1), 5000L);
        ok(ends().propose(release(CLIENT)).join());
        assertThat(fx.attr(f).getSize()).isEqualTo(5000);
        assertThat(DirLeases.holder(fx.store(), f)).isEmpty();
    }

    @Test
    void aShorterReplicaNeverShrinksWhatWasCommitted() {
        long f = fileWithChunk0();
        ok(as(CLIENT, commit(f, 8192, true)));
        fx.bricks().forEach(b -> held.put(b, 4096L));
        ok(ends().propose(release(CLIENT)).join());
        assertThat(fx.attr(f).getSize()).isEqualTo(8192);
        assertThat(DirLeases.holder(fx.store(), f)).isEmpty();
    }

    private static MetaMutation release(ByteString client) {
        return MetaMutation.newBuilder().setReleaseLocks(ReleaseLocksRequest.newBuilder().setClientId(client)).build();
    }
}
