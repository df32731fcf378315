package io.cairn.client.fs;

import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.SetAttrRequest;

/**
 * The mode and ownership rules of the meta service for what this client makes ahead of it
 * (write-back): the same bits the meta group will apply, so the attributes this client answers
 * with are the ones it will store. Where a rule needs more than the caller and the parent, the
 * change is not made ahead ({@link #mayQueue}) and the meta group decides.
 */
final class FileModes {
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFIFO = 0010000;
    static final int S_IFSOCK = 0140000;
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_ISVTX = 01000;
    private static final int S_IXGRP = 0010;

    private FileModes() {
    }

    static int type(int mode) {
        return mode & S_IFMT;
    }

    static boolean isDir(int mode) {
        return type(mode) == S_IFDIR;
    }

    static boolean isRegular(int mode) {
        return type(mode) == S_IFREG;
    }

    /** A write by anyone but root drops setuid, and setgid where it means "run as the group" (Linux's file_remove_privs). */
    static int killPrivileges(int mode) {
        int out = mode & ~S_ISUID;
        if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
            out &= ~S_ISGID;
        }
        return out;
    }

    /** A new inode's group: the parent's when the parent is setgid, else the caller's. */
    static int createdGid(InodeAttr parent, Credentials cred) {
        return (parent.getMode() & S_ISGID) != 0 ? parent.getGid() : cred.getGid();
    }

    /** A new file's permission bits: setgid dropped where it would mean "run as a group" the caller is not in. */
    static int createdFileMode(int perm, InodeAttr parent, Credentials cred) {
        int gid = createdGid(parent, cred);
        if ((perm & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && cred.getUid() != 0 && !inGroup(cred, gid)) {
            perm &= ~S_ISGID;
        }
        return perm;
    }

    /** A new directory's mode, as Linux's mkdir: permissions and sticky bit, setgid from the parent. */
    static int createdDirMode(int mode, InodeAttr parent) {
        return S_IFDIR | (mode & (0777 | S_ISVTX)) | (parent.getMode() & S_ISGID);
    }

    /** Whether a setattr is one whose outcome this client knows without the meta group. */
    static boolean mayQueue(SetAttrRequest c, InodeAttr a, Credentials cred) {
        boolean root = cred.getUid() == 0;
        boolean owner = root || cred.getUid() == a.getUid();
        if (c.getSetSize() || c.getViaOpenFile()) {
            return false;
        }
        if ((c.getSetUid() || c.getSetGid()) && (!root || (a.getMode() & (S_ISUID | S_ISGID)) != 0)) {
            return false;
        }
        if (c.getSetMode() && (!owner || (!root && (c.getMode() & S_ISGID) != 0 && !inGroup(cred, a.getGid())))) {
            return false;
        }
        return !(c.getSetAtime() || c.getSetMtime()) || owner;
    }

    /** The attributes after a setattr that {@link #mayQueue} allowed, at {@code nowNs}. */
    static InodeAttr applied(SetAttrRequest c, InodeAttr a, long nowNs) {
        InodeAttr.Builder b = a.toBuilder().setCtimeNs(nowNs);
        if (c.getSetMode()) {
            b.setMode(type(a.getMode()) | (c.getMode() & 07777));
        }
        if (c.getSetUid()) {
            b.setUid(c.getUid());
        }
        if (c.getSetGid()) {
            b.setGid(c.getGid());
        }
        if (c.getSetAtime()) {
            b.setAtimeNs(c.getAtimeNow() ? nowNs : c.getAtimeNs());
        }
        if (c.getSetMtime()) {
            b.setMtimeNs(c.getMtimeNow() ? nowNs : c.getMtimeNs());
        }
        return b.build();
    }

    static boolean inGroup(Credentials cred, int gid) {
        return cred.getGid() == gid || cred.getGroupsList().contains(gid);
    }
}
