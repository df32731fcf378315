package io.cairn.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/**
 * libfuse 2's low-level API (fuse_lowlevel.h, FUSE_USE_VERSION 26), bound with jnr-ffi. The
 * file system answers each request by inode number, and replies once per request with one of
 * the {@code fuse_reply_*} calls. Unlike the high-level API (path names, which jnr-fuse drives)
 * libfuse keeps no path tree and no path locks here: the high-level API's locks deadlock when a
 * rename or link races an rmdir of a common ancestor (libfuse issue 695, fixed only in libfuse 3),
 * and each path would get its own kernel node, so a hard link's attributes could go stale
 * through its other names. Structs shared with the high-level API (stat, fuse_file_info, flock,
 * statvfs) are jnr-fuse's.
 */
public interface LowLevel {
    /** The kernel's inode number of the mount's root. */
    long ROOT_ID = 1;

    int fuse_reply_err(Pointer req, int err);

    void fuse_reply_none(Pointer req);

    int fuse_reply_entry(Pointer req, Pointer entryParam);

    int fuse_reply_create(Pointer req, Pointer entryParam, Pointer fileInfo);

    int fuse_reply_attr(Pointer req, Pointer stat, double attrTimeout);

    int fuse_reply_readlink(Pointer req, @In byte[] link);

    int fuse_reply_open(Pointer req, Pointer fileInfo);

    int fuse_reply_write(Pointer req, @size_t long count);

    int fuse_reply_buf(Pointer req, Pointer buf, @size_t long size);

    int fuse_reply_statfs(Pointer req, Pointer statvfs);

    int fuse_reply_xattr(Pointer req, @size_t long count);

    int fuse_reply_lock(Pointer req, Pointer flock);

    @size_t long fuse_add_direntry(Pointer req, Pointer buf, @size_t long bufSize, @In byte[] name, Pointer stat,
            @off_t long nextOffset);

    /** The caller's struct fuse_ctx: uid, gid, pid and umask, four 32-bit fields. */
    Pointer fuse_req_ctx(Pointer req);

    int fuse_req_interrupted(Pointer req);

    int fuse_opt_add_arg(Pointer args, String arg);

    void fuse_opt_free_args(Pointer args);

    Pointer fuse_mount(String mountPoint, Pointer args);

    void fuse_unmount(String mountPoint, Pointer chan);

    Pointer fuse_lowlevel_new(Pointer args, Ops ops, @size_t long opsSize, Pointer userData);

    void fuse_session_add_chan(Pointer session, Pointer chan);

    void fuse_session_remove_chan(Pointer chan);

    /** Reads one request from the kernel into buf: its length, 0 when the session ended, or -errno. */
    int fuse_chan_recv(Pointer chanRef, Pointer buf, @size_t long size);

    /** The size a request buffer must have (the largest write plus its header). */
    @size_t long fuse_chan_bufsize(Pointer chan);

    /** Decodes one request read by fuse_chan_recv and calls the file system's callback for it. */
    void fuse_session_process(Pointer session, Pointer buf, @size_t long len, Pointer chan);

    int fuse_session_exited(Pointer session);

    void fuse_session_exit(Pointer session);

    void fuse_session_destroy(Pointer session);

    int fuse_lowlevel_notify_inval_inode(Pointer chan, long ino, @off_t long offset, @off_t long length);

    /** Drops the kernel's entry (positive or negative) for {@code name} in directory {@code parent}. */
    int fuse_lowlevel_notify_inval_entry(Pointer chan, long parent, @In byte[] name, @size_t long nameLength);

    /** struct fuse_lowlevel_ops of libfuse 2.9, in its order; the members left unset are NULL (ENOSYS). */
    final class Ops extends Struct {
        final Function<Unused> init = function(Unused.class);
        final Function<Unused> destroy = function(Unused.class);
        final Function<NameOp> lookup = function(NameOp.class);
        final Function<Forget> forget = function(Forget.class);
        final Function<FileOp> getattr = function(FileOp.class);
        final Function<SetAttr> setattr = function(SetAttr.class);
        final Function<InodeOp> readlink = function(InodeOp.class);
        final Function<Mknod> mknod = function(Mknod.class);
        final Function<Mkdir> mkdir = function(Mkdir.class);
        final Function<NameOp> unlink = function(NameOp.class);
        final Function<NameOp> rmdir = function(NameOp.class);
        final Function<Symlink> symlink = function(Symlink.class);
        final Function<Rename> rename = function(Rename.class);
        final Function<Link> link = function(Link.class);
        final Function<FileOp> open = function(FileOp.class);
        final Function<Read> read = function(Read.class);
        final Function<Write> write = function(Write.class);
        final Function<FileOp> flush = function(FileOp.class);
        final Function<FileOp> release = function(FileOp.class);
        final Function<Fsync> fsync = function(Fsync.class);
        final Function<FileOp> opendir = function(FileOp.class);
        final Function<Read> readdir = function(Read.class);
        final Function<FileOp> releasedir = function(FileOp.class);
        final Function<Fsync> fsyncdir = function(Fsync.class);
        final Function<InodeOp> statfs = function(InodeOp.class);
        final Function<SetXattr> setxattr = function(SetXattr.class);
        final Function<GetXattr> getxattr = function(GetXattr.class);
        final Function<ListXattr> listxattr = function(ListXattr.class);
        final Function<NameOp> removexattr = function(NameOp.class);
        final Function<Access> access = function(Access.class);
        final Function<Create> create = function(Create.class);
        final Function<GetLock> getlk = function(GetLock.class);
        final Function<SetLock> setlk = function(SetLock.class);
        final Function<Unused> bmap = function(Unused.class);
        final Function<Unused> ioctl = function(Unused.class);
        final Function<Unused> poll = function(Unused.class);
        final Function<Unused> writeBuf = function(Unused.class);
        final Function<Unused> retrieveReply = function(Unused.class);
        final Function<Unused> forgetMulti = function(Unused.class);
        final Function<Flock> flock = function(Flock.class);
        final Function<Fallocate> fallocate = function(Fallocate.class);

        Ops(jnr.ffi.Runtime runtime) {
            super(runtime);
        }
    }

    /** A slot left NULL: libfuse answers ENOSYS, or nothing to forget. */
    interface Unused {
        @Delegate
        void call();
    }

    /** The kernel dropped its inode (after {@code nlookup} lookups); reply with fuse_reply_none. */
    interface Forget {
        @Delegate
        void call(Pointer req, long ino, long nlookup);
    }

    interface NameOp {
        @Delegate
        void call(Pointer req, long parent, Pointer name);
    }

    interface InodeOp {
        @Delegate
        void call(Pointer req, long ino);
    }

    interface FileOp {
        @Delegate
        void call(Pointer req, long ino, Pointer fileInfo);
    }

    interface SetAttr {
        @Delegate
        void call(Pointer req, long ino, Pointer stat, int toSet, Pointer fileInfo);
    }

    interface Mknod {
        @Delegate
        void call(Pointer req, long parent, Pointer name, int mode, long rdev);
    }

    interface Mkdir {
        @Delegate
        void call(Pointer req, long parent, Pointer name, int mode);
    }

    interface Symlink {
        @Delegate
        void call(Pointer req, Pointer target, long parent, Pointer name);
    }

    interface Rename {
        @Delegate
        void call(Pointer req, long parent, Pointer name, long newParent, Pointer newName);
    }

    interface Link {
        @Delegate
        void call(Pointer req, long ino, long newParent, Pointer newName);
    }

    interface Read {
        @Delegate
        void call(Pointer req, long ino, @size_t long size, @off_t long offset, Pointer fileInfo);
    }

    interface Write {
        @Delegate
        void call(Pointer req, long ino, Pointer buf, @size_t long size, @off_t long offset, Pointer fileInfo);
    }

    interface Fsync {
        @Delegate
        void call(Pointer req, long ino, int dataSync, Pointer fileInfo);
    }

    interface SetXattr {
        @Delegate
        void call(Pointer req, long ino, Pointer name, Pointer value, @size_t long size, int flags);
    }

    interface GetXattr {
        @Delegate
        void call(Pointer req, long ino, Pointer name, @size_t long size);
    }

    interface ListXattr {
        @Delegate
        void call(Pointer req, long ino, @size_t long size);
    }

    interface Access {
        @Delegate
        void call(Pointer req, long ino, int mask);
    }

    interface Create {
        @Delegate
        void call(Pointer req, long parent, Pointer name, int mode, Pointer fileInfo);
    }

    interface GetLock {
        @Delegate
        void call(Pointer req, long ino, Pointer fileInfo, Pointer flock);
    }

    interface SetLock {
        @Delegate
        void call(Pointer req, long ino, Pointer fileInfo, Pointer flock, int sleep);
    }

    interface Flock {
        @Delegate
        void call(Pointer req, long ino, Pointer fileInfo, int op);
    }

    interface Fallocate {
        @Delegate
        void call(Pointer req, long ino, int mode, @off_t long offset, @off_t long length, Pointer fileInfo);
    }
}
