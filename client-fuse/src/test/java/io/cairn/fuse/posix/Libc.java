package io.cairn.fuse.posix;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The raw glibc calls the POSIX suite needs, bound through jnr-ffi. Only {@link NativeSys} uses
 * this; tests go through {@link Sys}, which turns -1 returns into {@link ErrnoException}s.
 * Struct arguments are plain {@link Pointer}s because their x86_64 layouts are decoded by hand
 * ({@link StructLayouts}); glibc 2.33+ exports stat/lstat/fstat/mknod as real symbols.
 */
public interface Libc {
  Libc INSTANCE = LibraryLoader.create(Libc.class).load("c");

  int open(String path, int flags, int mode);

  int openat(int dirfd, String path, int flags, int mode);

  /** openat with a raw, NUL-terminated name: Linux names are bytes, not text. */
  int openat(int dirfd, @In byte[] path, int flags, int mode);

  int unlinkat(int dirfd, @In byte[] path, int flags);

  int close(int fd);

  long read(int fd, @Out byte[] buf, long count);

  long pread(int fd, @Out byte[] buf, long count, long offset);

  long write(int fd, @In byte[] buf, long count);

  long pwrite(int fd, @In byte[] buf, long count, long offset);

  long lseek(int fd, long offset, int whence);

  int ftruncate(int fd, long length);

  int truncate(String path, long length);

  int fsync(int fd);

  int fdatasync(int fd);

  int mkdir(String path, int mode);

  int mkdirat(int dirfd, String path, int mode);

  int rmdir(String path);

  int unlink(String path);

  int unlinkat(int dirfd, String path, int flags);

  int rename(String oldPath, String newPath);

  int renameat2(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags);

  int link(String oldPath, String newPath);

  int symlink(String target, String linkPath);

  long readlink(String path, @Out byte[] buf, long size);

  int chmod(String path, int mode);

  int fchmod(int fd, int mode);

  int chown(String path, int uid, int gid);

  int lchown(String path, int uid, int gid);

  int fchown(int fd, int uid, int gid);

  int utimensat(int dirfd, String path, Pointer times, int flags);

  int stat(String path, Pointer buf);

  int lstat(String path, Pointer buf);

  int fstat(int fd, Pointer buf);

  int fstatat(int dirfd, String path, Pointer buf, int flags);

  int statvfs(String path, Pointer buf);

  int mknod(String path, int mode, long dev);

  int setxattr(String path, String name, @In byte[] value, long size, int flags);

  long getxattr(String path, String name, @Out byte[] value, long size);

  long listxattr(String path, @Out byte[] list, long size);

  int removexattr(String path, String name);

  int access(String path, int mode);

  int fallocate(int fd, int mode, long offset, long len);

  long copy_file_range(int fdIn, @In @Out long[] offIn, int fdOut, @In @Out long[] offOut, long len,
      int flags);

  int flock(int fd, int operation);

  int fcntl(int fd, int cmd, Pointer arg);

  Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

  int munmap(Pointer addr, long length);

  Pointer opendir(String path);

  Pointer readdir(Pointer dir);

  int closedir(Pointer dir);

  Pointer memcpy(@Out byte[] dst, Pointer src, long n);

  int umask(int mask);

  int getpid();

  int geteuid();
}
