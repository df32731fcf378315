package io.cairn.client.fs;

import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;

/**
 * The permission rule the meta service applies (Linux's owner/group/other with root's
 * exceptions), used on the client only to decide whether a cached answer may be given without
 * asking: a cached lookup is served only to a caller who could search the directory.
 */
public final class Access {
    public static final int R = 4;
    public static final int W = 2;
    public static final int X = 1;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    private Access() {
    }

    public static boolean allows(InodeAttr attr, Credentials cred, int mask) {
        int mode = attr.getMode();
        if (cred.getUid() == 0) {
            return (mask & X) == 0 || (mode & S_IFMT) == S_IFDIR || (mode & 0111) != 0;
        }
        int bits;
        if (cred.getUid() == attr.getUid()) {
            bits = (mode >> 6) & 7;
        } else if (cred.getGid() == attr.getGid() || cred.getGroupsList().contains(attr.getGid())) {
            bits = (mode >> 3) & 7;
        } else {
            bits = mode & 7;
        }
        return (bits & mask) == mask;
    }
}
