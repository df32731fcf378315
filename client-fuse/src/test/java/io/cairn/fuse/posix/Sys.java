package io.cairn.fuse.posix;

import java.util.List;

/**
 * The system calls the suite makes, as one process with one identity sees them. Every call
 * either succeeds or throws {@link ErrnoException} with the exact errno. Implementations:
 * {@link NativeSys} (this JVM, root) and {@link RemoteSys} (a child JVM running as another
 * uid/gid). Paths are Strings and results are serializable so calls can cross a pipe.
 * Not thread-safe in the remote case: one caller at a time.
 */
public interface Sys {
  int open(String path, int flags, int mode);

  default int open(String path, int flags) {
    return open(path, flags, 0);
  }

  int openat(int dirfd, String path, int flags, int mode);

  void close(int fd);

  /** Reads up to count bytes; a shorter array at end of file. */
  byte[] read(int fd, int count);

  byte[] pread(int fd, int count, long offset);

  int write(int fd, byte[] data);

  int pwrite(int fd, byte[] data, long offset);

  long lseek(int fd, long offset, int whence);

  void ftruncate(int fd, long length);

  void truncate(String path, long length);

  void fsync(int fd);

  void fdatasync(int fd);

  void mkdir(String path, int mode);

  void mkdirat(int dirfd, String path, int mode);

  void rmdir(String path);

  void unlink(String path);

  void unlinkat(int dirfd, String path, int flags);

  void rename(String from, String to);

  void renameat2(String from, String to, int flags);

  void link(String existing, String newPath);

  void symlink(String target, String linkPath);

  String readlink(String path);

  void chmod(String path, int mode);

  void fchmod(int fd, int mode);

  void chown(String path, int uid, int gid);

  void lchown(String path, int uid, int gid);

  void fchown(int fd, int uid, int gid);

  /** utimensat(AT_FDCWD, ...); pass {@link Linux#UTIME_NOW}/{@link Linux#UTIME_OMIT} as nsec. */
  void utimens(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
      int flags);

  /** utimensat with a NULL times pointer: both to now, the "touch" case. */
  void utimensNow(String path);

  FileStat stat(String path);

  FileStat lstat(String path);

  FileStat fstat(int fd);

  FileStat fstatat(int dirfd, String path, int flags);

  FsStat statvfs(String path);

  void mknod(String path, int mode, long dev);

  void setxattr(String path, String name, byte[] value, int flags);

  /** getxattr into a buffer of bufferSize bytes (ERANGE if too small); 0 asks for the size. */
  byte[] getxattr(String path, String name, int bufferSize);

  /** getxattr with a 64 KiB buffer. */
  default byte[] getxattr(String path, String name) {
    return getxattr(path, name, 65536);
  }

  /** The value size getxattr reports for a zero-size buffer. */
  long getxattrSize(String path, String name);

  List<String> listxattr(String path);

  /** listxattr into a buffer of bufferSize bytes; returns the byte count. */
  long listxattrSize(String path, int bufferSize);

  void removexattr(String path, String name);

  void access(String path, int mode);

  void fallocate(int fd, int mode, long offset, long length);

  /** copy_file_range(2) between explicit offsets: the bytes copied (0 at the source's end). */
  long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length);

  void flock(int fd, int operation);

  /** fcntl F_SETLK (non-blocking). */
  void setlk(int fd, short type, long start, long length);

  /** fcntl F_SETLKW: waits until the lock is granted. */
  void setlkw(int fd, short type, long start, long length);

  /** fcntl F_GETLK: the lock that would block (type, range, holder pid), or F_UNLCK. */
  LockInfo getlk(int fd, short type, long start, long length);

  /** Maps [offset, offset+length) read-only and shared, copies it out, unmaps. */
  byte[] mmapRead(int fd, long offset, int length);

  /** Every entry readdir returns, '.' and '..' included, in the order returned. */
  List<String> readdir(String path);

  /** Creates an empty file named by raw bytes (no NUL) in the directory dirfd. */
  void createRaw(int dirfd, byte[] name);

  void unlinkRaw(int dirfd, byte[] name);

  /** readdir's names as raw bytes. */
  List<byte[]> readdirRaw(String path);

  int umask(int mask);

  int getpid();

  int geteuid();
}
