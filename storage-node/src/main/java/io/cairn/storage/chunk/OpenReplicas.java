package io.cairn.storage.chunk;

import io.cairn.common.brick.ReplicaHeader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open files and header of recently used replicas, so a stream of writes or reads to one
 * chunk does not open its two files and re-read its header for every piece. One small LRU per
 * lock stripe of {@link FileChunkStore}, used only by a thread holding that stripe's lock: an
 * entry is never closed under another thread that is using it. The files stay the truth; an
 * operation other than write, read and sync drops the replica's entry before it changes the files.
 */
final class OpenReplicas {
    /** A replica's two files, open for reading and writing, and its header as last written. */
    static final class Open {
        final FileChannel data;
        final FileChannel meta;
        ReplicaHeader header;

        Open(FileChannel data, FileChannel meta, ReplicaHeader header) {
            this.data = data;
            this.meta = meta;
            this.header = header;
        }

        void close() {
            try {
                data.close();
            } catch (IOException e) {
                // closing a file read and written through: nothing left to lose
            }
            try {
                meta.close();
            } catch (IOException e) {
                // as above
            }
        }
    }

    private final Map<Long, Open>[] stripes;
    private final int perStripe;

    @SuppressWarnings("unchecked")
    OpenReplicas(int stripes, int perStripe) {
        this.stripes = new Map[stripes];
        this.perStripe = perStripe;
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new LinkedHashMap<>(perStripe * 2, 0.75f, true);  // access order: least recent first
        }
    }

    /** The open replica, or null; the caller holds stripe {@code stripe}'s lock. */
    Open get(int stripe, long chunkId) {
        return stripes[stripe].get(chunkId);
    }

    /** Keeps {@code open}, closing the least recently used of the stripe beyond its share. */
    void put(int stripe, long chunkId, Open open) {
        Map<Long, Open> m = stripes[stripe];
        Open old = m.put(chunkId, open);
        if (old != null && old != open) {
            old.close();
        }
        Iterator<Open> it = m.values().iterator();
        while (m.size() > perStripe && it.hasNext()) {
            it.next().close();
            it.remove();
        }
    }

    /** Closes and forgets the replica's entry, if any. */
    void drop(int stripe, long chunkId) {
        Open o = stripes[stripe].remove(chunkId);
        if (o != null) {
            o.close();
        }
    }

    /** Closes every entry of the stripe (the store closes); the caller holds its lock. */
    void clear(int stripe) {
        stripes[stripe].values().forEach(Open::close);
        stripes[stripe].clear();
    }
}
