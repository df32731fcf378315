package io.cairn.client.fs;

import io.cairn.proto.InodeAttr;
import java.util.TreeMap;

/**
 * A directory this client holds the exclusive lease of: its whole listing and its attributes as
 * this client changed them, which no other client can change while the lease is held. Guarded by
 * the {@link WriteBack} that holds it.
 */
final class LeasedDir {
    /** One entry: the inode it names and its file type (S_IFMT bits). */
    record Entry(long inode, int type) {
    }

    final long inode;
    InodeAttr attr;
    /** This client changed the directory through the meta group too: its attributes are the meta group's to give. */
    boolean attrFromMeta;
    /** Every entry, in name order. */
    final TreeMap<String, Entry> entries = new TreeMap<>();

    LeasedDir(long inode, InodeAttr attr) {
        this.inode = inode;
        this.attr = attr;
    }

    /** An entry was added or removed: mtime and ctime are now; {@code links} subdirectories more (or fewer). */
    void changed(long nowNs, int links) {
        attr = attr.toBuilder().setMtimeNs(nowNs).setCtimeNs(nowNs).setNlink(attr.getNlink() + links).build();
    }
}
