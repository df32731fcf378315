package io.cairn.meta.namespace;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;

/** Rules for names in a directory, symlink targets and xattr names. */
public final class Names {
    public static final int NAME_MAX = 255;
    public static final int PATH_MAX = 4096;
    public static final int XATTR_NAME_MAX = 255;
    public static final int XATTR_SIZE_MAX = 65536;
    /**
     * Linux's XATTR_LIST_MAX: the most listxattr(2) can return. An inode's names, each with its
     * NUL, must fit, or no one could list them (E2BIG).
     */
    public static final int XATTR_LIST_MAX = 65536;
    /** An inode's xattr names and values together (ENOSPC past it, as a full ext4 xattr block). */
    public static final int XATTR_SPACE_MAX = 1 << 20;

    private Names() {
    }

    /** A single path component: 1 to 255 bytes, no '/', no NUL, not "." or "..". */
    public static void checkName(String name) throws CairnException {
        if (name.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid name: it is empty");
        }
        if (name.indexOf('/') >= 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid name '" + printable(name) + "': a name may not contain '/'");
        }
        if (name.indexOf('\0') >= 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid name '" + printable(name) + "': a name may not contain NUL");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid name '" + name + "': it is reserved");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX) {
            throw new CairnException(ErrorCode.NAME_TOO_LONG,
                    "name too long: " + bytes + " bytes, the limit is " + NAME_MAX);
        }
    }

    public static void checkSymlinkTarget(String target) throws CairnException {
        if (target.isEmpty()) {
            throw new CairnException(ErrorCode.NOT_FOUND, "a symlink target may not be empty");
        }
        if (target.indexOf('\0') >= 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a symlink target may not contain NUL");
        }
        int bytes = target.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= PATH_MAX) {
            throw new CairnException(ErrorCode.NAME_TOO_LONG,
                    "symlink target too long: " + bytes + " bytes, the limit is " + (PATH_MAX - 1));
        }
    }

    public static void checkXattrName(String name) throws CairnException {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > XATTR_NAME_MAX || name.indexOf('\0') >= 0) {
            throw new CairnException(ErrorCode.ATTRIBUTE_RANGE,
                    "invalid xattr name: it must be 1 to " + XATTR_NAME_MAX + " bytes without NUL");
        }
    }

    private static String printable(String name) {
        String s = name.replace("\0", "\\0");
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
