package io.cairn.fuse;

import io.cairn.fuse.kernel.Fuse;
import java.util.Map;

/** The names of FUSE opcodes in log lines and errno decisions ({@link Errnos}). */
final class OpNames {
    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(Fuse.LOOKUP, "lookup"),
            Map.entry(Fuse.GETATTR, "getattr"), Map.entry(Fuse.SETATTR, "setattr"), Map.entry(Fuse.READLINK, "readlink"),
            Map.entry(Fuse.SYMLINK, "symlink"), Map.entry(Fuse.MKNOD, "mknod"), Map.entry(Fuse.MKDIR, "mkdir"),
            Map.entry(Fuse.UNLINK, "unlink"), Map.entry(Fuse.RMDIR, "rmdir"), Map.entry(Fuse.RENAME, "rename"),
            Map.entry(Fuse.RENAME2, "rename"), Map.entry(Fuse.LINK, "link"), Map.entry(Fuse.OPEN, "open"),
            Map.entry(Fuse.READ, "read"), Map.entry(Fuse.WRITE, "write"), Map.entry(Fuse.STATFS, "statfs"),
            Map.entry(Fuse.RELEASE, "release"), Map.entry(Fuse.FSYNC, "fsync"), Map.entry(Fuse.SETXATTR, "setxattr"),
            Map.entry(Fuse.GETXATTR, "getxattr"), Map.entry(Fuse.LISTXATTR, "listxattr"),
            Map.entry(Fuse.REMOVEXATTR, "removexattr"), Map.entry(Fuse.FLUSH, "flush"), Map.entry(Fuse.OPENDIR, "opendir"),
            Map.entry(Fuse.READDIR, "readdir"), Map.entry(Fuse.RELEASEDIR, "releasedir"), Map.entry(Fuse.FSYNCDIR, "fsyncdir"),
            Map.entry(Fuse.GETLK, "getlk"), Map.entry(Fuse.SETLK, "setlk"), Map.entry(Fuse.SETLKW, "setlkw"),
            Map.entry(Fuse.ACCESS, "access"), Map.entry(Fuse.CREATE, "create"), Map.entry(Fuse.FALLOCATE, "fallocate"),
            Map.entry(Fuse.LSEEK, "lseek"), Map.entry(Fuse.COPY_FILE_RANGE, "copy_file_range"));

    private OpNames() {
    }

    static String of(int opcode) {
        return NAMES.getOrDefault(opcode, "opcode " + opcode);
    }
}
