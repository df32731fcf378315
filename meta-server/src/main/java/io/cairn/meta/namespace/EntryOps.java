package io.cairn.meta.namespace;

import static io.cairn.meta.namespace.Permissions.W;
import static io.cairn.meta.namespace.Permissions.X;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.LinkRequest;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.RmdirRequest;
import io.cairn.proto.SymlinkRequest;
import io.cairn.proto.UnlinkRequest;
import io.cairn.proto.state.DentryRecord;
import io.cairn.proto.state.InodeRecord;
import java.nio.charset.StandardCharsets;

/** Operations that add or remove one directory entry. Deterministic: time comes from the context. */
public final class EntryOps {
    private EntryOps() {
    }

    /** create(2) and mknod(2) of a regular file, fifo, socket or device. */
    public static InodeAttr create(Txn t, ApplyContext c, CreateRequest r) throws CairnException {
        int type = FileMode.type(r.getMode());
        if (type == 0) {
            type = FileMode.S_IFREG;
        }
        switch (type) {
            case FileMode.S_IFREG, FileMode.S_IFIFO, FileMode.S_IFSOCK -> { }
            case FileMode.S_IFCHR, FileMode.S_IFBLK -> {
                if (!Permissions.isRoot(c.cred())) {
                    throw new CairnException(ErrorCode.NOT_PERMITTED, "only root may create device nodes");
                }
            }
            // Linux's mknod(2) refuses directories with EPERM (may_mknod).
            case FileMode.S_IFDIR -> throw new CairnException(ErrorCode.NOT_PERMITTED, "create a directory with mkdir");
            default -> throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid file type 0" + Integer.toOctalString(type) + " for create");
        }
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord parent = Inodes.dir(t, r.getVolumeId(), r.getParent());
        searchable(parent, c);
        Names.checkName(r.getName());
        DentryRecord existing = Records.dentry(t, r.getParent(), r.getName());
        if (existing != null) {
            InodeRecord ino = Records.inode(t, existing.getInode());
            if (r.getExclusive() || type != FileMode.S_IFREG || !FileMode.isRegular(ino.getMode())) {
                throw new CairnException(ErrorCode.ALREADY_EXISTS, "'" + r.getName() + "' already exists");
            }
            return Inodes.toAttr(existing.getInode(), ino);
        }
        Permissions.check(parent, c.cred(), W | X, "create entries in the directory");
        boolean device = type == FileMode.S_IFCHR || type == FileMode.S_IFBLK;
        InodeRecord.Builder b = newInode(c, parent, r.getVolumeId(), type | (r.getMode() & FileMode.PERMISSION_BITS))
                .setNlink(1)
                .setRdev(device ? r.getRdev() : 0);
        return addEntry(t, c, r.getVolumeId(), r.getParent(), r.getName(), r.getInode(), b);
    }

    public static InodeAttr mkdir(Txn t, ApplyContext c, MkdirRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord parent = Inodes.dir(t, r.getVolumeId(), r.getParent());
        searchable(parent, c);
        Names.checkName(r.getName());
        if (Records.dentry(t, r.getParent(), r.getName()) != null) {
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "'" + r.getName() + "' already exists");
        }
        Permissions.check(parent, c.cred(), W | X, "create entries in the directory");
        if (parent.getNlink() >= Inodes.LINK_MAX) {
            throw new CairnException(ErrorCode.TOO_MANY_LINKS, "the directory has too many subdirectories");
        }
        // As Linux's vfs_mkdir: permissions and the sticky bit only; setgid comes from the parent alone.
        int mode = FileMode.S_IFDIR | (r.getMode() & (0777 | FileMode.S_ISVTX));
        if ((parent.getMode() & FileMode.S_ISGID) != 0) {
            mode |= FileMode.S_ISGID;  // setgid directories pass the bit on to subdirectories
        }
        InodeRecord.Builder b = newInode(c, parent, r.getVolumeId(), mode).setNlink(2).setParent(r.getParent());
        InodeAttr attr = addEntry(t, c, r.getVolumeId(), r.getParent(), r.getName(), r.getInode(), b);
        Inodes.update(t, r.getParent(), p -> p.setNlink(p.getNlink() + 1));
        return attr;
    }

    public static InodeAttr symlink(Txn t, ApplyContext c, SymlinkRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord parent = Inodes.dir(t, r.getVolumeId(), r.getParent());
        searchable(parent, c);
        Names.checkName(r.getName());
        Names.checkSymlinkTarget(r.getTarget());
        if (Records.dentry(t, r.getParent(), r.getName()) != null) {
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "'" + r.getName() + "' already exists");
        }
        Permissions.check(parent, c.cred(), W | X, "create entries in the directory");
        InodeRecord.Builder b = newInode(c, parent, r.getVolumeId(), FileMode.S_IFLNK | 0777)
                .setNlink(1)
                .setSymlinkTarget(r.getTarget())
                .setSize(r.getTarget().getBytes(StandardCharsets.UTF_8).length);
        return addEntry(t, c, r.getVolumeId(), r.getParent(), r.getName(), r.getInode(), b);
    }

    public static InodeAttr link(Txn t, ApplyContext c, LinkRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord target = Inodes.get(t, r.getVolumeId(), r.getInode());
        InodeRecord parent = Inodes.dir(t, r.getVolumeId(), r.getNewParent());
        searchable(parent, c);
        Names.checkName(r.getNewName());
        if (FileMode.isDir(target.getMode())) {
            throw new CairnException(ErrorCode.NOT_PERMITTED, "a directory may not be hard-linked");
        }
        if (Records.dentry(t, r.getNewParent(), r.getNewName()) != null) {
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "'" + r.getNewName() + "' already exists");
        }
        Permissions.check(parent, c.cred(), W | X, "create entries in the directory");
        if (target.getNlink() >= Inodes.LINK_MAX) {
            throw new CairnException(ErrorCode.TOO_MANY_LINKS, "the file has " + target.getNlink() + " links already");
        }
        Records.putDentry(t, r.getNewParent(), r.getNewName(),
                DentryRecord.newBuilder().setInode(r.getInode()).setType(FileMode.type(target.getMode())).build());
        InodeRecord linked = Inodes.update(t, r.getInode(), b -> b.setNlink(b.getNlink() + 1).setCtimeNs(c.nowNs()));
        Inodes.touchDir(t, r.getNewParent(), c.nowNs());
        return Inodes.toAttr(r.getInode(), linked);
    }

    public static void unlink(Txn t, ApplyContext c, UnlinkRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord parent = Inodes.dir(t, r.getVolumeId(), r.getParent());
        searchable(parent, c);
        Names.checkName(r.getName());
        DentryRecord d = existing(t, r.getParent(), r.getName());
        InodeRecord victim = Records.inode(t, d.getInode());
        if (FileMode.isDir(victim.getMode())) {
            throw new CairnException(ErrorCode.IS_A_DIRECTORY, "'" + r.getName() + "' is a directory; use rmdir");
        }
        Permissions.check(parent, c.cred(), W | X, "remove entries from the directory");
        Permissions.checkSticky(parent, victim, c.cred());
        Records.deleteDentry(t, r.getParent(), r.getName());
        dropLink(t, c, d.getInode());
        Inodes.touchDir(t, r.getParent(), c.nowNs());
    }

    public static void rmdir(Txn t, ApplyContext c, RmdirRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord parent = Inodes.dir(t, r.getVolumeId(), r.getParent());
        searchable(parent, c);
        Names.checkName(r.getName());
        DentryRecord d = existing(t, r.getParent(), r.getName());
        InodeRecord victim = Records.inode(t, d.getInode());
        if (!FileMode.isDir(victim.getMode())) {
            throw new CairnException(ErrorCode.NOT_A_DIRECTORY, "'" + r.getName() + "' is not a directory");
        }
        Permissions.check(parent, c.cred(), W | X, "remove entries from the directory");
        Permissions.checkSticky(parent, victim, c.cred());
        if (Records.hasEntries(t, d.getInode())) {
            throw new CairnException(ErrorCode.DIRECTORY_NOT_EMPTY, "directory '" + r.getName() + "' is not empty");
        }
        Records.deleteDentry(t, r.getParent(), r.getName());
        Inodes.destroy(t, d.getInode(), r.getVolumeId());
        Inodes.update(t, r.getParent(), p -> p.setNlink(p.getNlink() - 1).setMtimeNs(c.nowNs()).setCtimeNs(c.nowNs()));
    }

    /**
     * Looking a name up needs search permission on the directory, and a kernel checks it while
     * walking the path, before it knows whether the name exists (EACCES before ENOENT or EEXIST).
     */
    static void searchable(InodeRecord dir, ApplyContext c) throws CairnException {
        Permissions.check(dir, c.cred(), X, "search the directory");
    }

    /** The entry, which must exist. */
    static DentryRecord existing(Txn t, long parent, String name) throws CairnException {
        DentryRecord d = Records.dentry(t, parent, name);
        if (d == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "'" + name + "' does not exist");
        }
        return d;
    }

    /** One name of a non-directory is gone: nlink drops, and the inode goes with its last name. */
    static void dropLink(Txn t, ApplyContext c, long inode) {
        InodeRecord after = Inodes.update(t, inode, b -> b.setNlink(b.getNlink() - 1).setCtimeNs(c.nowNs()));
        if (after.getNlink() == 0) {
            Inodes.destroy(t, inode, after.getVolumeId());
        }
    }

    /** A new inode owned by the caller; its group comes from a setgid parent as on Linux. */
    private static InodeRecord.Builder newInode(ApplyContext c, InodeRecord parent, int volumeId, int mode) {
        Credentials cred = c.cred();
        boolean inheritGroup = (parent.getMode() & FileMode.S_ISGID) != 0;
        int gid = inheritGroup ? parent.getGid() : cred.getGid();
        // Linux strips setgid only where it means "run as the group" (with group execute).
        int sgidExec = FileMode.S_ISGID | FileMode.S_IXGRP;
        if ((mode & sgidExec) == sgidExec && !FileMode.isDir(mode)
                && !Permissions.isRoot(cred) && !Permissions.inGroup(cred, gid)) {
            mode &= ~FileMode.S_ISGID;
        }
        return InodeRecord.newBuilder()
                .setVolumeId(volumeId)
                .setMode(mode)
                .setUid(cred.getUid())
                .setGid(gid)
                .setAtimeNs(c.nowNs())
                .setMtimeNs(c.nowNs())
                .setCtimeNs(c.nowNs());
    }

    /** Adds the entry and its new inode: {@code requested} if the caller reserved it, else the next free (0). */
    private static InodeAttr addEntry(Txn t, ApplyContext c, int volumeId, long parent, String name, long requested,
                                      InodeRecord.Builder b) throws CairnException {
        long inode = InodeReservations.claim(t, c, requested);
        InodeRecord rec = b.build();
        Records.putInode(t, inode, rec);
        Records.putDentry(t, parent, name,
                DentryRecord.newBuilder().setInode(inode).setType(FileMode.type(rec.getMode())).build());
        Inodes.touchDir(t, parent, c.nowNs());
        Inodes.addVolumeInodes(t, volumeId, 1);
        return Inodes.toAttr(inode, rec);
    }
}
