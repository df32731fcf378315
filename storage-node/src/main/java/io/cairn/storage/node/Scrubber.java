package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.RatePacer;
import io.cairn.storage.chunk.ReplicaInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every replica of the node's bricks and checks each block against its CRC32C, so a
 * corrupt replica that nobody reads is found too; a mismatch marks it suspect (never served,
 * awaiting repair). Reads at most {@code bytesPerSecond}, so scrubbing does not crowd out clients.
 * One pass per {@link #run()}; the node schedules passes.
 */
public final class Scrubber implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Scrubber.class);

    private final String node;
    private final Supplier<List<ChunkStore>> stores;
    private final long bytesPerSecond;
    private final AtomicLong scrubbed = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();

    public Scrubber(String node, Supplier<List<ChunkStore>> stores, long bytesPerSecond) {
        this.node = node;
        this.stores = stores;
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public void run() {
        RatePacer pacer = new RatePacer(bytesPerSecond);
        for (ChunkStore store : stores.get()) {
            try {
                for (ReplicaInfo r : store.list()) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    if (r.suspect()) {
                        continue;
                    }
                    if (!store.verify(r.chunkId())) {
                        corrupt.incrementAndGet();
                        log.warn("{} scrub: replica of chunk {} failed its checksums; marked for repair",
                                node, Long.toHexString(r.chunkId()));
                    }
                    scrubbed.incrementAndGet();
                    pacer.pace(r.length());
                }
            } catch (CairnException e) {
                log.warn("{} scrub pass stopped on a brick: {}", node, e.getMessage());
            }
        }
    }

    /** Replicas checked since the node started. */
    public long scrubbed() {
        return scrubbed.get();
    }

    /** Replicas found corrupt since the node started. */
    public long corrupt() {
        return corrupt.get();
    }
}
