package io.cairn.client.fs;

import io.cairn.proto.InlineExtent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inline bytes of small files this client made ahead of the meta group, as it committed them,
 * so that a later open of such a file reads them here instead of asking the meta group (which
 * would first have to take the whole write-back queue). Only the owner of the files' lease may
 * trust them ({@link WriteBack} checks that the file is still its own). Bounded by bytes, least
 * recently used first out: a file that fell out reads through the meta group, as any other.
 * Not thread-safe: WriteBack's monitor guards it.
 */
final class FreshBytes {
    private final long budget;
    private long held;
    private final LinkedHashMap<Long, byte[]> files = new LinkedHashMap<>(64, 0.75f, true);

    FreshBytes(long budget) {
        this.budget = budget;
    }

    /** A file just made: empty. */
    void created(long inode) {
        put(inode, new byte[0]);
    }

    /** An inline commit of the file: its extents over what is held (nothing if the file fell out). */
    void committed(long inode, List<InlineExtent> extents) {
        byte[] b = files.get(inode);
        if (b == null) {
            return;
        }
        put(inode, InlineState.applied(b, extents));
    }

    /** A copy of the file's bytes if they are held and {@code size} long, else null. */
    byte[] get(long inode, long size) {
        byte[] b = files.get(inode);
        return b == null || b.length != size ? null : b.clone();
    }

    void forget(long inode) {
        byte[] b = files.remove(inode);
        if (b != null) {
            held -= b.length;
        }
    }

    /** Keeps only the files for which {@code keep} holds. */
    void retain(java.util.function.LongPredicate keep) {
        var it = files.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, byte[]> e = it.next();
            if (!keep.test(e.getKey())) {
                held -= e.getValue().length;
                it.remove();
            }
        }
    }

    private void put(long inode, byte[] b) {
        byte[] old = files.put(inode, b);
        held += b.length - (old == null ? 0 : old.length);
        var it = files.entrySet().iterator();
        while (held > budget && it.hasNext()) {
            Map.Entry<Long, byte[]> e = it.next();
            held -= e.getValue().length;
            it.remove();
        }
    }
}
