package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.GetAttrRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.ReadDirRequest;
import io.cairn.proto.ReadDirResult;
import java.util.TreeMap;

/**
 * A directory this client holds a lease of: its whole listing and its attributes (as this client
 * changed them, under an exclusive lease), which no other client can change while the lease is
 * held. Guarded by the {@link WriteBack} (through {@link DirLeases}) or {@link SharedLeases} that holds it.
 */
final class LeasedDir {
    /** A directory with more entries is not leased (exclusive or shared): its listing would cost more than it saves. */
    static final int MAX_LISTING = 10_000;

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

    /**
     * The directory's attributes and whole listing from the meta group, asked without waiting for
     * this client's queue (the caller holds the lease, so nobody else changes it meanwhile); null
     * when it has more than {@code max} entries.
     */
    static LeasedDir read(MetaClient meta, int volumeId, Credentials cred, long dir, int max) throws CairnException {
        Credentials root = Credentials.getDefaultInstance();  // the whole listing, whatever the caller may read
        InodeAttr attr = meta.queryUnordered(cred, MetaQuery.newBuilder().setGetAttr(GetAttrRequest.newBuilder()
                .setVolumeId(volumeId).setInode(dir)).build()).getAttr();
        LeasedDir d = new LeasedDir(dir, attr);
        String after = "";
        while (true) {
            ReadDirResult page = meta.queryUnordered(root, MetaQuery.newBuilder().setReadDir(ReadDirRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(dir).setAfter(after)).build()).getReadDir();
            for (DirEntry e : page.getEntriesList()) {
                d.entries.put(e.getName(), new Entry(e.getInode(), e.getType()));
            }
            if (d.entries.size() > max) {
                return null;
            }
            if (!page.getMore() || page.getEntriesCount() == 0) {
                return d;
            }
            after = page.getEntries(page.getEntriesCount() - 1).getName();
        }
    }

    /** An entry was added or removed: mtime and ctime are now; {@code links} subdirectories more (or fewer). */
    void changed(long nowNs, int links) {
        attr = attr.toBuilder().setMtimeNs(nowNs).setCtimeNs(nowNs).setNlink(attr.getNlink() + links).build();
    }
}
