package io.cairn.storage.replication;

import static io.cairn.storage.replication.LocalCluster.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.StaleEpochException;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.StorageReply;
import io.cairn.proto.WriteRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replica's side: pieces applied in their stream's order, fencing by epoch, no gaps. */
class ReplicaApplierTest {
    @TempDir
    Path dir;
    LocalCluster c;
    ChunkTarget t;

    @BeforeEach
    void start() throws Exception {
        c = new LocalCluster(dir, 3, 3, 2);
        t = c.meta.target();
        c.writeThroughPrimary(t, 0, random(70_000, 1));
    }

    @AfterEach
    void close() {
        c.close();
    }

    @Test
    void piecesDeliveredOutOfOrderAreAppliedInTheStreamsOrder() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        c.link = (brick, call) -> {
            if (brick == 2 && call instanceof WriteRequest w && w.getSeq() == 1) {
                firstHeld.countDown();
                release.await();
            }
            return null;
        };
        byte[] first = random(100_000, 2);
        byte[] second = random(100_000, 3);  // the same range: whichever is applied last wins
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            Future<StorageReply> one = writers.submit(() -> c.writeThroughPrimary(t, 0, first));
            firstHeld.await();
            Future<StorageReply> two = writers.submit(() -> c.writeThroughPrimary(t, 0, second));
            // Piece 2 reached brick 2 before piece 1 and waits there for its turn.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.node(2).streams.waiting() == 1);
            release.countDown();
            for (Future<StorageReply> f : java.util.List.of(one, two)) {
                StorageReply reply = f.get();
                assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(io.cairn.proto.ErrorCode.OK);
                assertThat(reply.getFailedBricksList()).isEmpty();
            }
        } finally {
            release.countDown();
            writers.shutdownNow();
        }
        assertThat(c.node(1).bytes()).isEqualTo(second);
        assertThat(c.node(2).bytes()).isEqualTo(second);
        assertThat(c.node(3).bytes()).isEqualTo(second);
        assertThat(c.node(2).streams.waiting()).isZero();
    }

    @Test
    void aReplicaFencedAtAnOlderEpochRefusesANewerPrimarysPiecesWithItsEpoch() throws Exception {
        byte[] before = c.node(3).bytes();
        c.meta.replace(t, c.meta.placement());
        ChunkTarget now = c.meta.target();
        for (long brick : new long[] {1, 2}) {
            c.node(brick).applier.setEpoch(ChunkRequest.newBuilder().setTarget(now).setBrickId(brick).build());
        }
        WriteRequest piece = LocalCluster.write(now, 70_000, random(1000, 4)).toBuilder()
                .setBrickId(3).setExpectedLength(70_000).setStream(42).build();

        assertThatThrownBy(() -> c.node(3).applier.apply(piece.toBuilder().setSeq(1).build()))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> assertThat(e.currentEpoch()).isEqualTo(1));
        // The refused piece passed the turn on: the next is refused for its epoch at once, not
        // held up waiting for a predecessor and failed as a missed write.
        assertThatThrownBy(() -> c.node(3).applier.apply(piece.toBuilder().setSeq(2).build()))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> assertThat(e.currentEpoch()).isEqualTo(1));
        assertThat(c.node(3).info().epoch()).isEqualTo(1);
        assertThat(c.node(3).bytes()).isEqualTo(before);
        // An epoch never goes back.
        assertThatThrownBy(() -> c.node(1).applier.setEpoch(ChunkRequest.newBuilder().setTarget(t).setBrickId(1).build()))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> assertThat(e.currentEpoch()).isEqualTo(2));
    }

    @Test
    void aPieceThatWouldLeaveAGapIsRefusedOneThatFillsInIsTaken() throws Exception {
        // The primary held 100 000 bytes, this replica 70 000: it missed a write.
        WriteRequest past = LocalCluster.write(t, 100_000, random(1000, 5)).toBuilder()
                .setBrickId(2).setExpectedLength(100_000).build();
        assertThatThrownBy(() -> c.node(2).applier.apply(past)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
            assertThat(e.getMessage()).contains("gap");
        });
        assertThat(c.node(2).info().length()).isEqualTo(70_000);

        // A writer re-sending what the replica lacks, in order, fills it in.
        byte[] resent = random(30_000, 6);
        WriteRequest fill = LocalCluster.write(t, 70_000, resent).toBuilder().setBrickId(2).setExpectedLength(100_000).build();
        assertThat(c.node(2).applier.apply(fill).getLength()).isEqualTo(100_000);
        assertThat(Arrays.copyOfRange(c.node(2).bytes(), 70_000, 100_000)).isEqualTo(resent);
    }
}
