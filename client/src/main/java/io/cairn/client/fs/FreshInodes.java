package io.cairn.client.fs;

import io.cairn.proto.InlineExtent;
import io.cairn.proto.InodeAttr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inodes this client created under an exclusive directory lease it still holds, of which it
 * alone is the authority until the lease goes back: their attributes as this client changed them,
 * the leased directory holding their one name (or all their names: a link made ahead stays in the
 * same directory), and the inline bytes of the small files among them ({@link FreshBytes}, bounded
 * at 32 MiB). An inode leaves when its last name goes, when its directory's lease goes back
 * ({@link #released}) or when this client changes it through the meta group.
 *
 * <p>Not thread-safe: the {@link WriteBack} monitor guards it, with the leases it depends on.
 */
final class FreshInodes {
    private final Map<Long, InodeAttr> attrs = new HashMap<>();
    /** The leased directory holding each fresh inode's names. */
    private final Map<Long, Long> in = new HashMap<>();
    private final FreshBytes bytes = new FreshBytes(32L << 20);

    /** Its attributes as this client made them, or null when it is not fresh. */
    InodeAttr attr(long inode) {
        return attrs.get(inode);
    }

    /** The leased directory that holds the inode's names, or null when it is not fresh. */
    Long dir(long inode) {
        return in.get(inode);
    }

    boolean contains(long inode) {
        return attrs.containsKey(inode);
    }

    /** It now has these attributes and its names in {@code dir} (made there, linked there, or moved there). */
    void put(InodeAttr attr, long dir) {
        attrs.put(attr.getInode(), attr);
        in.put(attr.getInode(), dir);
    }

    /** It now has these attributes (its names stay where they are). */
    void update(InodeAttr attr) {
        attrs.put(attr.getInode(), attr);
    }

    /** A regular file just made: its inline bytes are known, and empty. */
    void createdFile(long inode) {
        bytes.created(inode);
    }

    /** An inline commit of the file: its bytes follow (see {@link FreshBytes#committed}). */
    void committed(long inode, List<InlineExtent> extents) {
        bytes.committed(inode, extents);
    }

    /** A copy of the file's bytes if held and {@code size} long, else null. */
    byte[] bytes(long inode, long size) {
        return bytes.get(inode, size);
    }

    /** It is fresh no more: gone, or changed through the meta group, which is its authority from now on. */
    void forget(long inode) {
        attrs.remove(inode);
        in.remove(inode);
        bytes.forget(inode);
    }

    /**
     * A directory holding none of this client's files any more (removed or replaced): its
     * attributes and parent are forgotten; it has no inline bytes to forget.
     */
    void forgetDir(long inode) {
        attrs.remove(inode);
        in.remove(inode);
    }

    /** One of its names went: its last name takes it away, another changes its link count, so its ctime. */
    void dropLink(InodeAttr victim) {
        if (victim.getNlink() <= 1) {
            forget(victim.getInode());
        } else {
            // One of its names went: its link count, so its ctime, changes (the meta group does the same).
            attrs.put(victim.getInode(), victim.toBuilder().setNlink(victim.getNlink() - 1).setCtimeNs(FileIo.nowNs()).build());
        }
    }

    /** Whether {@code dir} is {@code ancestor} or below it, by the fresh directories' parents. */
    boolean inside(long dir, long ancestor) {
        for (Long d = dir; d != null; d = in.get(d)) {
            if (d == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** The lease of {@code dir} went back: what was made in it is the meta group's from now on. */
    void released(long dir) {
        in.values().removeIf(d -> d == dir);
        attrs.keySet().retainAll(in.keySet());
        bytes.retain(attrs::containsKey);
    }
}
