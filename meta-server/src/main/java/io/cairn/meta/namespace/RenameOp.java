package io.cairn.meta.namespace;

import static io.cairn.meta.namespace.Permissions.W;
import static io.cairn.meta.namespace.Permissions.X;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.RenameRequest;
import io.cairn.proto.RenameResult;
import io.cairn.proto.state.DentryRecord;
import io.cairn.proto.state.InodeRecord;

/** rename(2) and renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE, applied atomically. */
public final class RenameOp {
    public static final int NOREPLACE = 1;
    public static final int EXCHANGE = 2;

    private RenameOp() {
    }

    public static RenameResult rename(Txn t, ApplyContext c, RenameRequest r) throws CairnException {
        int flags = r.getFlags();
        if ((flags & ~(NOREPLACE | EXCHANGE)) != 0 || flags == (NOREPLACE | EXCHANGE)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid rename flags " + flags + ": use RENAME_NOREPLACE or RENAME_EXCHANGE, not both");
        }
        int vol = r.getVolumeId();
        Inodes.startedVolume(t, vol);
        InodeRecord srcDir = Inodes.dir(t, vol, r.getParent());
        InodeRecord dstDir = Inodes.dir(t, vol, r.getNewParent());
        EntryOps.searchable(srcDir, c);
        EntryOps.searchable(dstDir, c);
        Names.checkName(r.getName());
        Names.checkName(r.getNewName());
        DentryRecord src = EntryOps.existing(t, r.getParent(), r.getName());
        DentryRecord dst = Records.dentry(t, r.getNewParent(), r.getNewName());
        Permissions.check(srcDir, c.cred(), W | X, "remove entries from the source directory");
        Permissions.check(dstDir, c.cred(), W | X, "create entries in the target directory");
        InodeRecord srcInode = Records.inode(t, src.getInode());
        Permissions.checkSticky(srcDir, srcInode, c.cred());
        InodeRecord dstInode = dst == null ? null : Records.inode(t, dst.getInode());
        if (dstInode != null) {
            Permissions.checkSticky(dstDir, dstInode, c.cred());
        }
        if ((flags & EXCHANGE) != 0) {
            if (dst == null) {
                throw new CairnException(ErrorCode.NOT_FOUND, "'" + r.getNewName() + "' does not exist to exchange with");
            }
            return exchange(t, c, r, src, srcInode, dst, dstInode);
        }
        if (dst != null && (flags & NOREPLACE) != 0) {
            // Before the same-file case: Linux fails NOREPLACE on any existing target.
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "'" + r.getNewName() + "' already exists");
        }
        if (dst != null && dst.getInode() == src.getInode()) {
            // Two names of one file: POSIX says rename does nothing.
            return RenameResult.newBuilder().setMoved(Inodes.toAttr(src.getInode(), srcInode)).build();
        }
        boolean srcIsDir = FileMode.isDir(srcInode.getMode());
        if (srcIsDir) {
            checkMovableDir(t, c, src.getInode(), srcInode, r.getParent(), r.getNewParent());
            if (dstInode == null && r.getParent() != r.getNewParent() && dstDir.getNlink() >= Inodes.LINK_MAX) {
                // as mkdir: the target directory would get one more link than it may have
                throw new CairnException(ErrorCode.TOO_MANY_LINKS, "the target directory has too many subdirectories");
            }
        }
        if (dstInode != null) {
            boolean dstIsDir = FileMode.isDir(dstInode.getMode());
            if (srcIsDir && !dstIsDir) {
                throw new CairnException(ErrorCode.NOT_A_DIRECTORY,
                        "cannot replace non-directory '" + r.getNewName() + "' with a directory");
            }
            if (!srcIsDir && dstIsDir) {
                throw new CairnException(ErrorCode.IS_A_DIRECTORY,
                        "cannot replace directory '" + r.getNewName() + "' with a non-directory");
            }
            if (dstIsDir && Records.hasEntries(t, dst.getInode())) {
                throw new CairnException(ErrorCode.DIRECTORY_NOT_EMPTY, "directory '" + r.getNewName() + "' is not empty");
            }
            if (dstIsDir) {
                Inodes.destroy(t, dst.getInode(), vol);
                Inodes.update(t, r.getNewParent(), p -> p.setNlink(p.getNlink() - 1));
            } else {
                EntryOps.dropLink(t, c, dst.getInode());
            }
        }
        Records.deleteDentry(t, r.getParent(), r.getName());
        Records.putDentry(t, r.getNewParent(), r.getNewName(), src);
        if (srcIsDir && r.getParent() != r.getNewParent()) {
            Inodes.update(t, r.getParent(), p -> p.setNlink(p.getNlink() - 1));
            Inodes.update(t, r.getNewParent(), p -> p.setNlink(p.getNlink() + 1));
        }
        InodeRecord moved = Inodes.update(t, src.getInode(), b -> {
            b.setCtimeNs(c.nowNs());
            return srcIsDir ? b.setParent(r.getNewParent()) : b;
        });
        touchParents(t, c, r);
        return RenameResult.newBuilder()
                .setMoved(Inodes.toAttr(src.getInode(), moved))
                .setReplacedInode(dst == null ? 0 : dst.getInode())
                .build();
    }

    private static RenameResult exchange(Txn t, ApplyContext c, RenameRequest r, DentryRecord src, InodeRecord srcInode,
                                         DentryRecord dst, InodeRecord dstInode) throws CairnException {
        if (src.getInode() == dst.getInode()) {
            return RenameResult.newBuilder().setMoved(Inodes.toAttr(src.getInode(), srcInode)).build();
        }
        boolean srcIsDir = FileMode.isDir(srcInode.getMode());
        boolean dstIsDir = FileMode.isDir(dstInode.getMode());
        if (srcIsDir) {
            checkMovableDir(t, c, src.getInode(), srcInode, r.getParent(), r.getNewParent());
        }
        if (dstIsDir) {
            checkMovableDir(t, c, dst.getInode(), dstInode, r.getNewParent(), r.getParent());
        }
        Records.putDentry(t, r.getParent(), r.getName(), dst);
        Records.putDentry(t, r.getNewParent(), r.getNewName(), src);
        if (r.getParent() != r.getNewParent() && srcIsDir != dstIsDir) {
            long gains = srcIsDir ? r.getNewParent() : r.getParent();
            long loses = srcIsDir ? r.getParent() : r.getNewParent();
            Inodes.update(t, gains, p -> p.setNlink(p.getNlink() + 1));
            Inodes.update(t, loses, p -> p.setNlink(p.getNlink() - 1));
        }
        InodeRecord moved = Inodes.update(t, src.getInode(), b -> {
            b.setCtimeNs(c.nowNs());
            return srcIsDir ? b.setParent(r.getNewParent()) : b;
        });
        Inodes.update(t, dst.getInode(), b -> {
            b.setCtimeNs(c.nowNs());
            return dstIsDir ? b.setParent(r.getParent()) : b;
        });
        touchParents(t, c, r);
        return RenameResult.newBuilder().setMoved(Inodes.toAttr(src.getInode(), moved)).build();
    }

    /**
     * A directory may not move into its own subtree (EINVAL), and moving it to another parent
     * rewrites its "..", which needs write permission on the directory itself.
     */
    private static void checkMovableDir(Txn t, ApplyContext c, long dirInode, InodeRecord dir,
                                        long fromParent, long toParent) throws CairnException {
        if (fromParent == toParent) {
            return;
        }
        Permissions.check(dir, c.cred(), W, "move the directory to another parent");
        long cursor = toParent;
        while (true) {
            if (cursor == dirInode) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "cannot move a directory into its own subtree");
            }
            InodeRecord rec = Records.inode(t, cursor);
            if (rec == null || rec.getParent() == cursor || rec.getParent() == 0) {
                return;  // reached the volume root
            }
            cursor = rec.getParent();
        }
    }

    private static void touchParents(Txn t, ApplyContext c, RenameRequest r) {
        Inodes.touchDir(t, r.getParent(), c.nowNs());
        if (r.getNewParent() != r.getParent()) {
            Inodes.touchDir(t, r.getNewParent(), c.nowNs());
        }
    }
}
