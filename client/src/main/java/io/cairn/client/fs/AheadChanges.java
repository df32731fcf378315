package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;

/**
 * The namespace changes this client makes ahead of the meta group (DESIGN.md, "Metadata fast
 * path", 2): in a directory it holds the exclusive lease of, creates and mkdirs of names that do
 * not exist, and the removals, links, renames, attribute changes and inline commits of what it
 * created under a lease it still holds. Each is decided here against the leased listing, answered
 * at once with the attributes the meta group will give, and queued ({@link ChangeQueue}) in the
 * order it was made. Whatever it cannot decide alone (a name that exists, a permission it would
 * have to guess, a sticky directory) it declines: null or false, and the caller asks the meta
 * group.
 *
 * <p>Not thread-safe: every call is made with the {@link WriteBack} monitor held, which guards the
 * leases and the fresh inodes with it. Errors: a change may wait for the queue to be sent (a full
 * queue, a new range of inode numbers) and then throws the meta group's error.
 */
final class AheadChanges {
    private final int volumeId;
    private final ChangeQueue queue;
    private final ChangeSender sender;
    private final DirLeases leases;
    private final FreshInodes fresh;
    private final InodeNumbers inodes;

    AheadChanges(int volumeId, ChangeQueue queue, ChangeSender sender, DirLeases leases, FreshInodes fresh,
                 InodeNumbers inodes) {
        this.volumeId = volumeId;
        this.queue = queue;
        this.sender = sender;
        this.leases = leases;
        this.fresh = fresh;
        this.inodes = inodes;
    }

    /** create(2)/mknod(2) of a regular file, fifo or socket whose name does not exist. */
    InodeAttr create(Credentials cred, long dir, String name, int mode, long rdev) throws CairnException {
        int type = FileModes.type(mode) == 0 ? FileModes.S_IFREG : FileModes.type(mode);
        if (type != FileModes.S_IFREG && type != FileModes.S_IFIFO && type != FileModes.S_IFSOCK) {
            return null;
        }
        LeasedDir d = writable(cred, dir, name);
        if (d == null) {
            return null;
        }
        int perm = FileModes.createdFileMode(mode & 07777, d.attr, cred);
        long inode = inodes.next();
        long now = FileIo.nowNs();
        InodeAttr attr = InodeAttr.newBuilder().setInode(inode).setMode(type | perm).setUid(cred.getUid())
                .setGid(FileModes.createdGid(d.attr, cred)).setNlink(1).setAtimeNs(now).setMtimeNs(now).setCtimeNs(now)
                .build();
        queue.add(cred, MetaMutation.newBuilder().setCreate(io.cairn.proto.CreateRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name).setMode(type | (mode & 07777)).setExclusive(true).setInode(inode)).build());
        added(d, name, attr, 0);
        if (type == FileModes.S_IFREG) {
            fresh.createdFile(inode);
        }
        return attr;
    }

    /** mkdir(2) of a name that does not exist; the new directory is leased to this client, empty, when it may write in it. */
    InodeAttr mkdir(Credentials cred, long dir, String name, int mode) throws CairnException {
        LeasedDir d = writable(cred, dir, name);
        if (d == null) {
            return null;
        }
        long inode = inodes.next();
        long now = FileIo.nowNs();
        InodeAttr attr = InodeAttr.newBuilder().setInode(inode).setMode(FileModes.createdDirMode(mode, d.attr))
                .setUid(cred.getUid()).setGid(FileModes.createdGid(d.attr, cred)).setNlink(2)
                .setAtimeNs(now).setMtimeNs(now).setCtimeNs(now).build();
        queue.add(cred, MetaMutation.newBuilder().setMkdir(io.cairn.proto.MkdirRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name).setMode(mode).setInode(inode)).build());
        added(d, name, attr, 1);
        if (Access.allows(attr, cred, Access.W | Access.X)) {
            leases.made(cred, attr);
        }
        return attr;
    }

    /** unlink(2) of a non-directory this client created under the lease it still holds. */
    boolean unlink(Credentials cred, long dir, String name) throws CairnException {
        LeasedDir d = removable(cred, dir, name);
        InodeAttr victim = d == null ? null : fresh.attr(d.entries.get(name).inode());
        if (victim == null || FileModes.isDir(victim.getMode())) {
            return false;
        }
        sender.room();
        queue.add(cred, MetaMutation.newBuilder().setUnlink(io.cairn.proto.UnlinkRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name)).build());
        d.entries.remove(name);
        d.changed(FileIo.nowNs(), 0);
        fresh.dropLink(victim);
        return true;
    }

    /**
     * link(2) of a non-directory this client created under a lease it still holds, into the same
     * directory (a temporary name made final, as git does for every object it writes). Keeping
     * every name of a file made ahead in one leased directory keeps the rule simple: while that
     * lease is held, nobody else can reach the file.
     */
    InodeAttr link(Credentials cred, long inode, long newDir, String newName) throws CairnException {
        InodeAttr a = fresh.attr(inode);
        Long in = fresh.dir(inode);
        if (a == null || in == null || in != newDir || FileModes.isDir(a.getMode()) || a.getNlink() >= 65_000) {
            return null;
        }
        LeasedDir d = leases.usable(newDir) == null ? null : writable(cred, newDir, newName);
        if (d == null) {
            return null;
        }
        queue.add(cred, MetaMutation.newBuilder().setLink(io.cairn.proto.LinkRequest.newBuilder().setVolumeId(volumeId)
                .setInode(inode).setNewParent(newDir).setNewName(newName)).build());
        InodeAttr after = a.toBuilder().setNlink(a.getNlink() + 1).setCtimeNs(FileIo.nowNs()).build();
        added(d, newName, after, 0);
        return after;
    }

    /** rmdir(2) of an empty directory this client created and still leases. */
    boolean rmdir(Credentials cred, long dir, String name) throws CairnException {
        LeasedDir d = removable(cred, dir, name);
        long inode = d == null ? 0 : d.entries.get(name).inode();
        LeasedDir child = leases.get(inode);
        if (d == null || !fresh.contains(inode) || child == null || !child.entries.isEmpty()) {
            return false;
        }
        sender.room();
        queue.add(cred, MetaMutation.newBuilder().setRmdir(io.cairn.proto.RmdirRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name)).build());
        d.entries.remove(name);
        d.changed(FileIo.nowNs(), -1);
        leases.gone(inode);
        fresh.forgetDir(inode);
        return true;
    }

    /**
     * rename(2) (flags 0 or RENAME_NOREPLACE) of something this client created under a held
     * lease, between leased directories, over nothing or over another such inode.
     */
    io.cairn.proto.RenameResult rename(Credentials cred, long dir, String name, long newDir, String newName,
                                       int flags) throws CairnException {
        LeasedDir from = removable(cred, dir, name);
        LeasedDir to = leases.usable(newDir);
        if (from == null || to == null || (flags & ~Namespace.RENAME_NOREPLACE) != 0 || !Names.valid(newName)
                || !Access.allows(to.attr, cred, Access.W | Access.X)) {
            return null;
        }
        InodeAttr moved = fresh.attr(from.entries.get(name).inode());
        LeasedDir.Entry over = to.entries.get(newName);
        InodeAttr replaced = over == null ? null : fresh.attr(over.inode());
        boolean isDir = moved != null && FileModes.isDir(moved.getMode());
        if (moved == null || (over != null && (replaced == null || (flags & Namespace.RENAME_NOREPLACE) != 0
                || FileModes.isDir(replaced.getMode()) != isDir || over.inode() == moved.getInode()
                || (isDir && (leases.get(over.inode()) == null || !leases.get(over.inode()).entries.isEmpty()))))
                || (isDir && fresh.inside(newDir, moved.getInode())) || (to.attr.getMode() & FileModes.S_ISVTX) != 0) {
            return null;
        }
        sender.room();
        queue.add(cred, MetaMutation.newBuilder().setRename(io.cairn.proto.RenameRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name).setNewParent(newDir).setNewName(newName).setFlags(flags)).build());
        long now = FileIo.nowNs();
        from.entries.remove(name);
        to.entries.put(newName, new LeasedDir.Entry(moved.getInode(), FileModes.type(moved.getMode())));
        int links = isDir && dir != newDir ? 1 : 0;
        from.changed(now, -links);
        if (replaced != null && isDir) {
            to.changed(now, links - 1);
            leases.gone(replaced.getInode());
            fresh.forgetDir(replaced.getInode());
        } else {
            to.changed(now, links);
            if (replaced != null) {
                fresh.dropLink(replaced);
            }
        }
        InodeAttr after = moved.toBuilder().setCtimeNs(now).build();
        fresh.put(after, newDir);
        return io.cairn.proto.RenameResult.newBuilder().setMoved(after)
                .setReplacedInode(replaced == null ? 0 : replaced.getInode()).build();
    }

    /**
     * The commit of a small file's bytes inline (no chunk) to a file created under a held lease:
     * queued like its create, which it follows. Null when the meta group must take it now.
     */
    InodeAttr commitAhead(Credentials cred, io.cairn.proto.CommitWriteRequest commit) throws CairnException {
        InodeAttr a = fresh.attr(commit.getInode());
        Long in = fresh.dir(commit.getInode());
        if (a == null || in == null || leases.usable(in) == null || commit.getChunksCount() > 0
                || commit.getEndSpill().size() > 0 || !FileModes.isRegular(a.getMode())) {
            return null;
        }
        sender.room();
        queue.add(cred, MetaMutation.newBuilder().setCommitWrite(commit).build());
        long now = FileIo.nowNs();
        long size = Math.max(a.getSize(), commit.getSize());
        InodeAttr.Builder b = a.toBuilder().setSize(size).setBlocks((size + 511) / 512)
                .setMtimeNs(commit.getMtimeNs() != 0 ? commit.getMtimeNs() : now).setCtimeNs(now);
        if (cred.getUid() != 0) {
            b.setMode(FileModes.killPrivileges(a.getMode()));
        }
        InodeAttr after = b.build();
        fresh.update(after);
        fresh.committed(after.getInode(), commit.getInlineList());
        return after;
    }

    /**
     * The bytes of a small file this client made ahead and still alone knows, as it committed
     * them inline; null when the meta group must be asked (not made here, no longer this
     * client's alone, or not held any more).
     */
    byte[] inlineBytes(long inode) {
        InodeAttr a = fresh.attr(inode);
        return a == null || !FileModes.isRegular(a.getMode()) ? null : fresh.bytes(inode, a.getSize());
    }

    /** chmod, chown (as root) and utimens of an inode created under a held lease; not truncate. */
    InodeAttr setattr(Credentials cred, io.cairn.proto.SetAttrRequest change) throws CairnException {
        InodeAttr a = fresh.attr(change.getInode());
        Long in = fresh.dir(change.getInode());
        if (a == null || in == null || leases.usable(in) == null || !FileModes.mayQueue(change, a, cred)) {
            return null;
        }
        if (!change.getSetMode() && !change.getSetUid() && !change.getSetGid() && !change.getSetAtime()
                && !change.getSetMtime()) {
            return a;  // nothing to change: not even ctime
        }
        sender.room();
        queue.add(cred, MetaMutation.newBuilder().setSetAttr(change.toBuilder().setVolumeId(volumeId)).build());
        InodeAttr after = FileModes.applied(change, a, FileIo.nowNs());
        fresh.update(after);
        LeasedDir self = leases.get(after.getInode());
        if (self != null) {
            self.attr = after;
        }
        return after;
    }

    /** A leased directory where {@code cred} may add {@code name}, leasing it first if it can; else null. */
    private LeasedDir writable(Credentials cred, long dir, String name) throws CairnException {
        if (!Names.valid(name)) {
            return null;
        }
        LeasedDir d = leases.usable(dir);
        if (d == null) {
            d = leases.lease(cred, dir);
        }
        if (d == null || d.entries.containsKey(name) || !Access.allows(d.attr, cred, Access.W | Access.X)
                || d.attr.getNlink() >= 65_000) {
            return null;
        }
        sender.room();
        return d;
    }

    /** A leased directory holding {@code name}, which {@code cred} may remove; else null. */
    private LeasedDir removable(Credentials cred, long dir, String name) {
        LeasedDir d = leases.usable(dir);
        if (d == null || !d.entries.containsKey(name) || !Access.allows(d.attr, cred, Access.W | Access.X)
                || (d.attr.getMode() & FileModes.S_ISVTX) != 0) {
            return null;
        }
        return d;
    }

    /** {@code name} now names {@code attr} in {@code d}, which has {@code links} more subdirectories; the inode is fresh, in {@code d}. */
    private void added(LeasedDir d, String name, InodeAttr attr, int links) {
        d.entries.put(name, new LeasedDir.Entry(attr.getInode(), FileModes.type(attr.getMode())));
        d.changed(attr.getCtimeNs(), links);
        fresh.put(attr, d.inode);
        sender.added();
    }
}
