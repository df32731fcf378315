package io.cairn.meta.namespace;

import static io.cairn.meta.namespace.Permissions.R;
import static io.cairn.meta.namespace.Permissions.W;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Txn;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.RemoveXattrRequest;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.SetXattrRequest;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.List;

/** chmod, chown, truncate, utimens and extended attributes, with Linux's permission and ctime rules. */
public final class AttrOps {
    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    private AttrOps() {
    }

    public static InodeAttr setAttr(Txn t, ApplyContext c, SetAttrRequest r) throws CairnException {
        VolumeRecord vol = Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord ino = Inodes.get(t, r.getVolumeId(), r.getInode());
        Credentials cred = c.cred();
        InodeRecord.Builder b = ino.toBuilder();
        boolean changed = false;
        if (r.getSetSize()) {
            checkTruncate(ino, cred, r);
            if (r.getSize() != ino.getSize()) {
                // truncate(2) marks mtime and ctime only if the size changes (ftruncate asks for mtime too)
                ChunkOps.truncate(t, r.getInode(), ino.getSize(), r.getSize(), vol.getChunkSize());
                b.setSize(r.getSize()).setMtimeNs(c.nowNs());
                changed = true;
            }
            if (!Permissions.isRoot(cred) && FileMode.killPrivileges(b.getMode()) != b.getMode()) {
                b.setMode(FileMode.killPrivileges(b.getMode()));
                changed = true;
            }
        }
        if (r.getSetUid() || r.getSetGid()) {
            checkChown(ino, cred, r);
            if (r.getSetUid()) {
                b.setUid(r.getUid());
            }
            if (r.getSetGid()) {
                b.setGid(r.getGid());
            }
            if (!FileMode.isDir(ino.getMode())) {
                b.setMode(FileMode.killPrivileges(b.getMode()));
            }
            changed = true;
        }
        if (r.getSetMode()) {
            int mode = r.getMode() & FileMode.PERMISSION_BITS;
            checkChmod(ino, cred, mode);
            if (!Permissions.isRoot(cred) && !Permissions.inGroup(cred, b.getGid())) {
                mode &= ~FileMode.S_ISGID;
            }
            b.setMode(FileMode.type(ino.getMode()) | mode);
            changed = true;
        }
        if (r.getSetAtime() || r.getSetMtime()) {
            checkTimes(ino, cred, r);
            if (r.getSetAtime()) {
                b.setAtimeNs(r.getAtimeNow() ? c.nowNs() : r.getAtimeNs());
            }
            if (r.getSetMtime()) {
                b.setMtimeNs(r.getMtimeNow() ? c.nowNs() : r.getMtimeNs());
            }
            changed = true;
        }
        if (!changed) {
            return Inodes.toAttr(r.getInode(), ino);
        }
        InodeRecord after = b.setCtimeNs(c.nowNs()).build();
        io.cairn.meta.store.Records.putInode(t, r.getInode(), after);
        return Inodes.toAttr(r.getInode(), after);
    }

    private static void checkTruncate(InodeRecord ino, Credentials cred, SetAttrRequest r) throws CairnException {
        if (FileMode.isDir(ino.getMode())) {
            throw new CairnException(ErrorCode.IS_A_DIRECTORY, "cannot truncate a directory");
        }
        if (!FileMode.isRegular(ino.getMode())) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "only regular files can be truncated");
        }
        ChunkOps.checkSize(r.getSize());
        if (!r.getViaOpenFile()) {
            Permissions.check(ino, cred, W, "write the file");
        }
    }

    /**
     * Only the owner or root may chmod, with one exception: a change that only drops S_ISUID
     * and/or S_ISGID is allowed to whoever may write the file. The kernel sends that change
     * itself (as a chmod from the writing process) before a write or truncate by a non-owner;
     * a FUSE file system cannot tell it from a chmod(2), and refusing it fails the write. Anyone
     * else gets chmod(2)'s EPERM.
     */
    private static void checkChmod(InodeRecord ino, Credentials cred, int mode) throws CairnException {
        if (Permissions.isOwnerOrRoot(ino, cred)) {
            return;
        }
        int before = ino.getMode() & FileMode.PERMISSION_BITS;
        int privileges = FileMode.S_ISUID | FileMode.S_ISGID;
        boolean onlyDropsPrivileges = mode != before && (mode & ~before) == 0 && ((before & ~mode) & ~privileges) == 0;
        if (!onlyDropsPrivileges || !Permissions.allowed(ino, cred, W)) {
            throw new CairnException(ErrorCode.NOT_PERMITTED, "operation not permitted: only the owner or root may chmod"
                    + " (others with write access may only clear setuid/setgid)");
        }
    }

    private static void checkChown(InodeRecord ino, Credentials cred, SetAttrRequest r) throws CairnException {
        if (Permissions.isRoot(cred)) {
            return;
        }
        if (r.getSetUid() && r.getUid() != ino.getUid()) {
            throw new CairnException(ErrorCode.NOT_PERMITTED, "operation not permitted: only root may change the owner");
        }
        if (cred.getUid() != ino.getUid()) {
            throw new CairnException(ErrorCode.NOT_PERMITTED,
                    "operation not permitted: only the owner or root may change the group");
        }
        if (r.getSetGid() && r.getGid() != ino.getGid() && !Permissions.inGroup(cred, r.getGid())) {
            throw new CairnException(ErrorCode.NOT_PERMITTED,
                    "operation not permitted: uid " + cred.getUid() + " is not in group " + r.getGid());
        }
    }

    /**
     * Setting both times to "now" (touch) needs write access or ownership; any other change of
     * times, including one time to now with the other omitted, needs ownership (Linux's
     * ATTR_TIMES_SET, see utimensat(2)). Through a descriptor open for writing, mtime to now
     * alone is what a write does (fallocate's hole punching asks it), checked at open.
     */
    private static void checkTimes(InodeRecord ino, Credentials cred, SetAttrRequest r) throws CairnException {
        if (Permissions.isOwnerOrRoot(ino, cred)) {
            return;
        }
        if (r.getViaOpenFile() && !r.getSetAtime() && r.getMtimeNow()) {
            return;
        }
        boolean touch = r.getSetAtime() && r.getAtimeNow() && r.getSetMtime() && r.getMtimeNow();
        if (!touch) {
            throw new CairnException(ErrorCode.NOT_PERMITTED,
                    "operation not permitted: only the owner or root may set times other than both to now");
        }
        Permissions.check(ino, cred, W, "set the times to now");
    }

    public static void setXattr(Txn t, ApplyContext c, SetXattrRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord ino = Inodes.get(t, r.getVolumeId(), r.getInode());
        Names.checkXattrName(r.getName());
        if (r.getValue().size() > Names.XATTR_SIZE_MAX) {
            throw new CairnException(ErrorCode.ARGUMENT_TOO_BIG,
                    "xattr value of " + r.getValue().size() + " bytes is over the limit of " + Names.XATTR_SIZE_MAX);
        }
        if ((r.getFlags() & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid setxattr flags " + r.getFlags());
        }
        checkXattrWrite(ino, c.cred(), r.getName());
        byte[] key = MetaSchema.idAndName(r.getInode(), r.getName());
        boolean exists = t.get(Table.XATTRS, key) != null;
        if (exists && (r.getFlags() & XATTR_CREATE) != 0) {
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "xattr '" + r.getName() + "' already exists");
        }
        if (!exists && (r.getFlags() & XATTR_REPLACE) != 0) {
            throw new CairnException(ErrorCode.NO_SUCH_ATTRIBUTE, "xattr '" + r.getName() + "' does not exist");
        }
        checkXattrSpace(t, r.getInode(), key, r.getValue().size());
        t.put(Table.XATTRS, key, r.getValue().toByteArray());
        Inodes.update(t, r.getInode(), b -> b.setCtimeNs(c.nowNs()));
    }

    /**
     * An inode's xattrs with the one under {@code key} set to {@code valueSize} bytes must leave
     * every name listable ({@link Names#XATTR_LIST_MAX}) and fit {@link Names#XATTR_SPACE_MAX};
     * otherwise ENOSPC, as a file system whose xattr space is full answers (and as programs
     * that fill a file with xattrs expect, stress-ng's among them).
     */
    private static void checkXattrSpace(ReadView v, long inode, byte[] key, int valueSize) throws CairnException {
        long[] listed = {key.length - Long.BYTES + 1};
        long[] space = {key.length - Long.BYTES + (long) valueSize};
        v.scan(Table.XATTRS, MetaSchema.u64(inode), null, (k, val) -> {
            if (!java.util.Arrays.equals(k, key)) {  // the one being replaced counts at its new size
                listed[0] += k.length - Long.BYTES + 1;
                space[0] += k.length - Long.BYTES + val.length;
            }
            return true;
        });
        if (listed[0] > Names.XATTR_LIST_MAX) {
            throw new CairnException(ErrorCode.NO_SPACE, "the file's xattr names would take " + listed[0]
                    + " bytes, more than listxattr can return (" + Names.XATTR_LIST_MAX + ")");
        }
        if (space[0] > Names.XATTR_SPACE_MAX) {
            throw new CairnException(ErrorCode.NO_SPACE, "the file's xattrs would take " + space[0]
                    + " bytes, over the limit of " + Names.XATTR_SPACE_MAX + " per file");
        }
    }

    public static void removeXattr(Txn t, ApplyContext c, RemoveXattrRequest r) throws CairnException {
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord ino = Inodes.get(t, r.getVolumeId(), r.getInode());
        Names.checkXattrName(r.getName());
        checkXattrWrite(ino, c.cred(), r.getName());
        byte[] key = MetaSchema.idAndName(r.getInode(), r.getName());
        if (t.get(Table.XATTRS, key) == null) {
            throw new CairnException(ErrorCode.NO_SUCH_ATTRIBUTE, "xattr '" + r.getName() + "' does not exist");
        }
        t.delete(Table.XATTRS, key);
        Inodes.update(t, r.getInode(), b -> b.setCtimeNs(c.nowNs()));
    }

    public static ByteString getXattr(ReadView v, ApplyContext c, int volumeId, long inode, String name)
            throws CairnException {
        Inodes.startedVolume(v, volumeId);
        InodeRecord ino = Inodes.get(v, volumeId, inode);
        Names.checkXattrName(name);
        Namespace ns = requireNamespace(name);
        if (ns == Namespace.TRUSTED && !Permissions.isRoot(c.cred())) {
            throw new CairnException(ErrorCode.NO_SUCH_ATTRIBUTE, "xattr '" + name + "' does not exist");
        }
        if (ns == Namespace.USER) {
            Permissions.check(ino, c.cred(), R, "read the file's user xattrs");
        }
        byte[] value = v.get(Table.XATTRS, MetaSchema.idAndName(inode, name));
        if (value == null) {
            throw new CairnException(ErrorCode.NO_SUCH_ATTRIBUTE, "xattr '" + name + "' does not exist");
        }
        return ByteString.copyFrom(value);
    }

    /** Names of the inode's xattrs that the caller may see (trusted.* is for root only). */
    public static List<String> listXattrs(ReadView v, ApplyContext c, int volumeId, long inode) throws CairnException {
        Inodes.startedVolume(v, volumeId);
        Inodes.get(v, volumeId, inode);
        List<String> names = new ArrayList<>();
        boolean root = Permissions.isRoot(c.cred());
        v.scan(Table.XATTRS, MetaSchema.u64(inode), null, (k, val) -> {
            String name = MetaSchema.nameOf(k);
            if (root || namespaceOf(name) != Namespace.TRUSTED) {
                names.add(name);
            }
            return true;
        });
        return names;
    }

    private enum Namespace { USER, TRUSTED, SECURITY, SYSTEM }

    /**
     * The namespace of a name to read or write: an unknown one and system.* (POSIX ACLs) are not
     * supported, and a bare prefix such as "user." names nothing (EINVAL, as Linux's
     * xattr_resolve_name).
     */
    private static Namespace requireNamespace(String name) throws CairnException {
        Namespace ns = namespaceOf(name);
        if (ns == null) {
            throw new CairnException(ErrorCode.NOT_SUPPORTED,
                    "xattr '" + name + "': the name must start with user., trusted. or security.");
        }
        if (ns == Namespace.SYSTEM) {
            throw new CairnException(ErrorCode.NOT_SUPPORTED,
                    "xattr '" + name + "': system.* attributes (POSIX ACLs) are not supported");
        }
        if (name.indexOf('.') == name.length() - 1) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "xattr name '" + name + "' has nothing after its namespace");
        }
        return ns;
    }

    private static Namespace namespaceOf(String name) {
        if (name.startsWith("user.")) {
            return Namespace.USER;
        }
        if (name.startsWith("trusted.")) {
            return Namespace.TRUSTED;
        }
        if (name.startsWith("security.")) {
            return Namespace.SECURITY;
        }
        if (name.startsWith("system.")) {
            return Namespace.SYSTEM;
        }
        return null;
    }

    private static void checkXattrWrite(InodeRecord ino, Credentials cred, String name) throws CairnException {
        Namespace ns = requireNamespace(name);
        switch (ns) {
            case SYSTEM -> throw new IllegalStateException("unreachable: system.* is refused above");
            case TRUSTED -> {
                if (!Permissions.isRoot(cred)) {
                    throw new CairnException(ErrorCode.NOT_PERMITTED, "only root may write trusted.* xattrs");
                }
            }
            case SECURITY -> {
                if (!Permissions.isOwnerOrRoot(ino, cred)) {
                    throw new CairnException(ErrorCode.NOT_PERMITTED,
                            "only the owner or root may write security.* xattrs");
                }
            }
            case USER -> {
                int type = FileMode.type(ino.getMode());
                if (type != FileMode.S_IFREG && type != FileMode.S_IFDIR) {
                    throw new CairnException(ErrorCode.NOT_PERMITTED,
                            "user.* xattrs are allowed only on regular files and directories");
                }
                if (type == FileMode.S_IFDIR && (ino.getMode() & FileMode.S_ISVTX) != 0
                        && !Permissions.isOwnerOrRoot(ino, cred)) {
                    throw new CairnException(ErrorCode.NOT_PERMITTED,
                            "only the owner may write user.* xattrs of a sticky directory");
                }
                Permissions.check(ino, cred, W, "write the file's user xattrs");
            }
        }
    }
}
