package io.cairn.fuse.kernel;

/**
 * The numbers of the kernel's FUSE protocol that Cairn speaks (include/uapi/linux/fuse.h,
 * version 7): request opcodes, INIT flags, and the flags of a few requests and replies.
 */
public final class Fuse {
    public static final int MAJOR = 7;
    /** The newest minor version whose messages this binding knows; the kernel's, if older, is used. */
    public static final int MAX_MINOR = 40;
    /** The kernel's node id of the mount's root. */
    public static final long ROOT_ID = 1;

    public static final int LOOKUP = 1;
    public static final int FORGET = 2;
    public static final int GETATTR = 3;
    public static final int SETATTR = 4;
    public static final int READLINK = 5;
    public static final int SYMLINK = 6;
    public static final int MKNOD = 8;
    public static final int MKDIR = 9;
    public static final int UNLINK = 10;
    public static final int RMDIR = 11;
    public static final int RENAME = 12;
    public static final int LINK = 13;
    public static final int OPEN = 14;
    public static final int READ = 15;
    public static final int WRITE = 16;
    public static final int STATFS = 17;
    public static final int RELEASE = 18;
    public static final int FSYNC = 20;
    public static final int SETXATTR = 21;
    public static final int GETXATTR = 22;
    public static final int LISTXATTR = 23;
    public static final int REMOVEXATTR = 24;
    public static final int FLUSH = 25;
    public static final int INIT = 26;
    public static final int OPENDIR = 27;
    public static final int READDIR = 28;
    public static final int RELEASEDIR = 29;
    public static final int FSYNCDIR = 30;
    public static final int GETLK = 31;
    public static final int SETLK = 32;
    public static final int SETLKW = 33;
    public static final int ACCESS = 34;
    public static final int CREATE = 35;
    public static final int INTERRUPT = 36;
    public static final int DESTROY = 38;
    public static final int BATCH_FORGET = 42;
    public static final int FALLOCATE = 43;
    public static final int RENAME2 = 45;
    public static final int LSEEK = 46;
    public static final int COPY_FILE_RANGE = 47;

    /** lseek whence values the kernel forwards (LSEEK): the next data, the next hole. */
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final long ASYNC_READ = 1L;
    public static final long POSIX_LOCKS = 1L << 1;
    public static final long BIG_WRITES = 1L << 5;
    public static final long FLOCK_LOCKS = 1L << 10;
    public static final long AUTO_INVAL_DATA = 1L << 12;
    public static final long WRITEBACK_CACHE = 1L << 16;
    public static final long PARALLEL_DIROPS = 1L << 18;
    public static final long MAX_PAGES = 1L << 22;
    public static final long CACHE_SYMLINKS = 1L << 23;
    public static final long HANDLE_KILLPRIV_V2 = 1L << 28;
    public static final long INIT_EXT = 1L << 30;

    /** fuse_fsync_in.fsync_flags: only the data (and what is needed to read it back), as fdatasync(2). */
    public static final int FSYNC_FDATASYNC = 1;

    /** fuse_setattr_in.valid */
    public static final int FATTR_MODE = 1;
    public static final int FATTR_UID = 1 << 1;
    public static final int FATTR_GID = 1 << 2;
    public static final int FATTR_SIZE = 1 << 3;
    public static final int FATTR_ATIME = 1 << 4;
    public static final int FATTR_MTIME = 1 << 5;
    public static final int FATTR_FH = 1 << 6;
    public static final int FATTR_ATIME_NOW = 1 << 7;
    public static final int FATTR_MTIME_NOW = 1 << 8;

    /** fuse_write_in.write_flags: the writer may not keep setuid/setgid (HANDLE_KILLPRIV_V2). */
    public static final int WRITE_KILL_SUIDGID = 1 << 2;

    /** fuse_lk_in.lk_flags: the lock is a flock(2), not a record lock. */
    public static final int LK_FLOCK = 1;
    /** fuse_file_lock.type, as fcntl's */
    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;

    /** The errno a file system answers an opcode it does not serve with. */
    public static final int ENOSYS = 38;

    /** Notification codes, sent in the error field of a reply with unique 0. */
    static final int NOTIFY_INVAL_INODE = 2;
    static final int NOTIFY_INVAL_ENTRY = 3;

    private Fuse() {
    }
}
