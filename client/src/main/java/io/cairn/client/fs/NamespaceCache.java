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

    /** The kernel asks for it before every write(2), to clear it (file capabilities) if set. */
    public static final String CAPABILITY = "security.capability";

    private final TtlCache<Long, InodeAttr> attrs;
    private final TtlCache<Key, Long> entries;
    /** security.* xattrs by (inode, name), which anyone may read: the answer is the same for every caller. */
    private final TtlCache<Key, byte[]> securityXattrs;

    private final LongSupplier clock;

    public NamespaceCache(Duration attrTtl, Duration entryTtl, LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.attrs = new TtlCache<>(attrTtl, nanoClock, 200_000);
        this.entries = new TtlCache<>(entryTtl, nanoClock, 200_000);
        this.securityXattrs = new TtlCache<>(attrTtl, nanoClock, 200_000);
    }

    /** The clock entries expire by. */
    public LongSupplier clock() {
        return clock;
    }

    /** How long a lookup is trusted. */
    public long entryTtlNanos() {
        return entries.ttlNanos();
    }

    /** Whether {@link #xattr} may hold {@code name}: one whose value does not depend on who asks. */
    public static boolean cachedXattr(String name) {
        return name.startsWith("security.");
    }

    /** A cached security.* xattr of an inode (a negative hit: it has none of that name). */
    public TtlCache.Hit<byte[]> xattr(long inode, String name) {
        return securityXattrs.get(new Key(inode, name));
    }

    /** Caches a security.* xattr's value, or (null) that the inode has none of that name. */
    public void putXattr(long inode, String name, byte[] value) {
        if (cachedXattr(name)) {
            securityXattrs.put(new Key(inode, name), value);
        }
    }

    public void forgetXattr(long inode, String name) {
        securityXattrs.invalidate(new Key(inode, name));
    }

    public TtlCache.Hit<Long> entry(long parent, String name) {
        return entries.get(new Key(parent, name));
    }

    public InodeAttr attr(long inode) {
        TtlCache.Hit<InodeAttr> hit = attrs.get(inode);
        return hit == null ? null : hit.value();
    }

    /** How much longer the cached attributes of {@code inode} are trusted (ns; 0 if not cached). */
    public long attrFreshNanos(long inode) {
        return attrs.remainingNanos(inode);
    }

    /** How much longer the cached lookup of (parent, name) is trusted (ns; 0 if not cached). */
    public long entryFreshNanos(long parent, String name) {
        return entries.remainingNanos(new Key(parent, name));
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
        securityXattrs.clear();
    }
}
