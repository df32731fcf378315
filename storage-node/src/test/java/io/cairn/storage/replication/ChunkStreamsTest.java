package io.cairn.storage.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChunkStreamsTest {
    final Object lock = new Object();

    @Test
    void aReplicaAppliesAStreamsPiecesInOrderWhateverOrderTheyArriveIn() throws Exception {
        ChunkStreams s = new ChunkStreams(Duration.ofSeconds(10));
        List<Long> applied = new CopyOnWriteArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (long i = 1; i <= 40; i++) {
            seqs.add(i);
        }
        Collections.shuffle(seqs, new java.util.Random(3));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (long seq : seqs) {
            Thread t = new Thread(() -> {
                try {
                    s.awaitTurn(7, 99, seq);
                    synchronized (lock) {
                        applied.add(seq);
                        s.applied(7, 99, seq);
                    }
                } catch (CairnException e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(applied).isSorted().hasSize(40);
        assertThat(s.waiting()).as("no gate left behind").isZero();
    }

    @Test
    void aPieceWhosePredecessorNeverComesFailsAfterTheWait() throws Exception {
        ChunkStreams s = new ChunkStreams(Duration.ofMillis(200));
        s.awaitTurn(7, 1, 1);
        s.applied(7, 1, 1);
        assertThatThrownBy(() -> s.awaitTurn(7, 1, 3)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
        assertThatThrownBy(() -> s.awaitTurn(7, 1, 1)).as("applied already").isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        // A new stream starts at 1; the old one's position does not hold it back.
        s.awaitTurn(7, 2, 1);
        // Pieces outside any stream (repair copies) never wait.
        s.awaitTurn(7, 0, 0);
    }

    @Test
    void drainWaitsForPiecesInFlightAndHoldsBackNewOnes() throws Exception {
        ChunkStreams s = new ChunkStreams(Duration.ofSeconds(10));
        ChunkStreams.Primary p;
        synchronized (lock) {
            p = s.join(5, 1, () -> 0L);
            p.inflight += 2;
        }
        List<String> events = new CopyOnWriteArrayList<>();
        Thread drainer = new Thread(() -> {
            synchronized (lock) {
                try {
                    s.drain(lock, 5);
                    events.add("drained");
                } catch (CairnException e) {
                    events.add("failed " + e.getMessage());
                }
            }
        });
        drainer.start();
        org.awaitility.Awaitility.await().until(() -> drainer.getState() == Thread.State.TIMED_WAITING);
        synchronized (lock) {
            events.add("one done");
            s.finished(lock, 5, p);
        }
        synchronized (lock) {
            events.add("two done");
            s.finished(lock, 5, p);
        }
        drainer.join();
        assertThat(events).containsExactly("one done", "two done", "drained");
        synchronized (lock) {
            assertThat(s.join(5, 1, () -> 42L).projected).as("a new stream after the drain").isEqualTo(42);
        }
    }
}
