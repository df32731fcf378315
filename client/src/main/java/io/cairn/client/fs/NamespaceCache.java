package io.cairn.client.fs;

import io.cairn.proto.InodeAttr;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Attributes by inode and lookups by (directory, name), each trusted for a short TTL. The
 * client's own changes update or drop the entries they touch at once, so one client always
 * reads its own writes; other clients' changes show within the TTL (and at once on open, which
 * asks meta). Thread-safe.
 */
public final class NamespaceCache {
    public record Key(long parent, String name) {
    }

    private final TtlCache<Long, InodeAttr> attrs;
    private final TtlCache<Key, Long> entries;

    public NamespaceCache(Duration attrTtl, Duration entryTtl, LongSupplier nanoClock) {
        this.attrs = new TtlCache<>(attrTtl, nanoClock, 200_000);
        this.entries = new TtlCache<>(entryTtl, nanoClock, 200_000);
    }

    public TtlCache.Hit<Long> entry(long parent, String name) {
        return entries.get(new Key(parent, name));
    }

    public InodeAttr attr(long inode) {
        TtlCache.Hit<InodeAttr> hit = attrs.get(inode);
        return hit == null ? null : hit.value();
    }

    public void putAttr(InodeAttr attr) {
        attrs.put(attr.getInode(), attr);
    }

    /** (parent, name) names {@code attr}'s inode. */
    public void putEntry(long parent, String name, InodeAttr attr) {
        entries.put(new Key(parent, name), attr.getInode());
        putAttr(attr);
    }

    /** (parent, name) does not exist. */
    public void putMissing(long parent, String name) {
        entries.put(new Key(parent, name), null);
    }

    public void forgetEntry(long parent, String name) {
        entries.invalidate(new Key(parent, name));
    }

    public void forgetAttr(long inode) {
        attrs.invalidate(inode);
    }

    public void clear() {
        attrs.clear();
        entries.clear();
    }
}
