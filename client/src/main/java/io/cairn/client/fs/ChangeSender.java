package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the write-back queue ({@link ChangeQueue}) goes to the meta group: on its own thread after
 * the write-back delay and soon after it grows to a batch ({@link #flushQuietly}, failures logged
 * and sent again next time), at once when a caller needs it sent ({@link #flush}, {@link #sync}),
 * and before a change joins a full queue ({@link #room}: back-pressure). The background round also
 * gives up the leases of a lapsed session, so that their releases go with it.
 *
 * <p>Threading: thread-safe; the background thread also runs the recalls ({@link #execute}), one
 * at a time and in order with the background sends. {@link #flush}, {@link #sync} and {@link #room}
 * block until the meta group has the queue or the I/O timeout ends, and throw its error.
 */
final class ChangeSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeSender.class);
    /** Changes queued at most; the next waits for the queue to be sent (and fails if it cannot be). */
    static final int MAX_QUEUED = 4 * ChangeQueue.BATCH_OPS;

    private final ChangeQueue queue;
    private final DirLeases leases;
    private final Duration delay;
    private final ScheduledExecutorService flusher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cairn-writeback"));

    ChangeSender(ChangeQueue queue, DirLeases leases, Duration delay) {
        this.queue = queue;
        this.leases = leases;
        this.delay = delay;
    }

    /** Starts the background sends, one write-back delay apart (10 ms at least). */
    void start() {
        long ms = Math.max(10, delay.toMillis());
        flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the background thread, after what was handed to it before. */
    void execute(Runnable task) {
        flusher.execute(task);
    }

    /** Sends every queued change; returns once the meta group has them (the barrier before other calls). */
    void flush() throws CairnException {
        if (!queue.isEmpty()) {
            queue.flush();
        }
    }

    /** fsync: everything queued is applied, and a change refused since the last fsync is reported. */
    void sync() throws CairnException {
        flush();
        CairnException refused = queue.takeFailure();
        if (refused != null) {
            throw refused;
        }
    }

    /** Gives up the leases of a lapsed session, then sends the queue; a failure is logged, and the queue sent again next time. */
    void flushQuietly() {
        try {
            leases.abandonIfLapsed();
            flush();
        } catch (CairnException | RuntimeException e) {
            log.warn("sending {} queued namespace changes failed (sent again next time): {}", queue.size(), e.getMessage());
        }
    }

    /** A change joined the queue: a queue as long as a batch is sent soon, on the background thread. */
    void added() {
        if (queue.size() >= ChangeQueue.BATCH_OPS) {
            flusher.execute(this::flushQuietly);
        }
    }

    /** Back-pressure: a full queue is sent before another change joins it (failing after the I/O timeout). */
    void room() throws CairnException {
        if (queue.size() >= MAX_QUEUED) {
            queue.flush();
        }
    }

    /** Stops the background thread; what is queued stays for a last {@link #flush}. */
    @Override
    public void close() {
        flusher.shutdownNow();
    }
}
