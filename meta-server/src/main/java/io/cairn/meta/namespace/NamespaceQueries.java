package io.cairn.meta.namespace;

import static io.cairn.meta.namespace.Permissions.R;
import static io.cairn.meta.namespace.Permissions.X;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.ReadDirRequest;
import io.cairn.proto.ReadDirResult;
import io.cairn.proto.state.DentryRecord;
import io.cairn.proto.state.InodeRecord;
import java.util.ArrayList;
import java.util.List;

/** Reads of the namespace. They change nothing, so they run on any thread against committed state. */
public final class NamespaceQueries {
    public static final int MAX_READDIR = 1024;

    private NamespaceQueries() {
    }

    public static InodeAttr lookup(ReadView v, ApplyContext c, int volumeId, long parent, String name)
            throws CairnException {
        Inodes.startedVolume(v, volumeId);
        InodeRecord dir = Inodes.dir(v, volumeId, parent);
        Names.checkName(name);
        Permissions.check(dir, c.cred(), X, "search the directory");
        DentryRecord d = Records.dentry(v, parent, name);
        if (d == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "'" + name + "' does not exist");
        }
        return Inodes.toAttr(d.getInode(), Records.inode(v, d.getInode()));
    }

    public static InodeAttr getAttr(ReadView v, int volumeId, long inode) throws CairnException {
        Inodes.startedVolume(v, volumeId);
        return Inodes.toAttr(inode, Inodes.get(v, volumeId, inode));
    }

    public static ReadDirResult readDir(ReadView v, ApplyContext c, ReadDirRequest r) throws CairnException {
        Inodes.startedVolume(v, r.getVolumeId());
        InodeRecord dir = Inodes.dir(v, r.getVolumeId(), r.getInode());
        Permissions.check(dir, c.cred(), R, "read the directory");
        int limit = r.getLimit() == 0 ? MAX_READDIR : (int) Math.min(Integer.toUnsignedLong(r.getLimit()), MAX_READDIR);
        byte[] prefix = MetaSchema.u64(r.getInode());
        byte[] from = r.getAfter().isEmpty() ? null : MetaSchema.idAndName(r.getInode(), r.getAfter());
        List<DirEntry> entries = new ArrayList<>();
        boolean[] more = {false};
        v.scan(Table.DENTRIES, prefix, from, (k, val) -> {
            String name = MetaSchema.nameOf(k);
            if (name.equals(r.getAfter())) {
                return true;  // "after" is exclusive
            }
            if (entries.size() == limit) {
                more[0] = true;
                return false;
            }
            DentryRecord d = Records.parse(val, DentryRecord.parser());
            DirEntry.Builder e = DirEntry.newBuilder().setName(name).setInode(d.getInode()).setType(d.getType());
            if (r.getWithAttrs()) {
                e.setAttr(Inodes.toAttr(d.getInode(), Records.inode(v, d.getInode())));
            }
            entries.add(e.build());
            return true;
        });
        return ReadDirResult.newBuilder().addAllEntries(entries).setMore(more[0]).build();
    }

    public static String readLink(ReadView v, int volumeId, long inode) throws CairnException {
        Inodes.startedVolume(v, volumeId);
        InodeRecord r = Inodes.get(v, volumeId, inode);
        if (!FileMode.isSymlink(r.getMode())) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "inode " + inode + " is not a symlink");
        }
        return r.getSymlinkTarget();
    }

    /** access(2): mask 0 only checks that the inode exists. */
    public static void access(ReadView v, ApplyContext c, int volumeId, long inode, int mask) throws CairnException {
        Inodes.startedVolume(v, volumeId);
        InodeRecord r = Inodes.get(v, volumeId, inode);
        if ((mask & ~7) != 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid access mask " + mask);
        }
        if (mask != 0) {
            Permissions.check(r, c.cred(), mask, "access the file with mask " + mask);
        }
    }
}
