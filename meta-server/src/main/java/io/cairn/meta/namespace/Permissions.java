package io.cairn.meta.namespace;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.state.InodeRecord;

/**
 * POSIX permission rules, as a local Linux file system applies them, so a mount needs no kernel
 * {@code default_permissions}. Pure functions of an inode and the caller's credentials.
 */
public final class Permissions {
    public static final int R = 4;
    public static final int W = 2;
    public static final int X = 1;

    private Permissions() {
    }

    public static boolean isRoot(Credentials cred) {
        return cred.getUid() == 0;
    }

    public static boolean inGroup(Credentials cred, int gid) {
        if (cred.getGid() == gid) {
            return true;
        }
        for (int g : cred.getGroupsList()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    public static boolean isOwnerOrRoot(InodeRecord inode, Credentials cred) {
        return isRoot(cred) || cred.getUid() == inode.getUid();
    }

    /** Whether {@code cred} may access {@code inode} for every bit of {@code mask} (R, W, X). */
    public static boolean allowed(InodeRecord inode, Credentials cred, int mask) {
        int mode = inode.getMode();
        if (isRoot(cred)) {
            // Root reads and writes anything; it may execute only what someone may execute.
            return (mask & X) == 0 || FileMode.isDir(mode) || (mode & 0111) != 0;
        }
        int bits;
        if (cred.getUid() == inode.getUid()) {
            bits = (mode >> 6) & 7;
        } else if (inGroup(cred, inode.getGid())) {
            bits = (mode >> 3) & 7;
        } else {
            bits = mode & 7;
        }
        return (bits & mask) == mask;
    }

    public static void check(InodeRecord inode, Credentials cred, int mask, String what) throws CairnException {
        if (!allowed(inode, cred, mask)) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED,
                    "permission denied: uid " + cred.getUid() + " may not " + what);
        }
    }

    /**
     * In a sticky directory only the owner of an entry, the owner of the directory or root may
     * remove or rename the entry.
     */
    public static void checkSticky(InodeRecord dir, InodeRecord victim, Credentials cred) throws CairnException {
        if ((dir.getMode() & FileMode.S_ISVTX) == 0 || isRoot(cred)) {
            return;
        }
        if (cred.getUid() != victim.getUid() && cred.getUid() != dir.getUid()) {
            throw new CairnException(ErrorCode.NOT_PERMITTED,
                    "operation not permitted: the directory is sticky and uid " + cred.getUid()
                            + " owns neither the entry nor the directory");
        }
    }
}
