package io.cairn.fuse.posix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** {@link Sys} through glibc in this process. Stateless; safe from any thread. */
public final class NativeSys implements Sys {
  public static final NativeSys INSTANCE = new NativeSys();

  private static final Libc C = Libc.INSTANCE;
  private static final Runtime RT = Runtime.getRuntime(C);

  private NativeSys() {}

  private static int errno() {
    return RT.getLastError();
  }

  private static long check(String call, long ret) {
    if (ret < 0) {
      throw new ErrnoException(call, errno());
    }
    return ret;
  }

  @Override
  public int open(String path, int flags, int mode) {
    return (int) check("open", C.open(path, flags, mode));
  }

  @Override
  public int openat(int dirfd, String path, int flags, int mode) {
    return (int) check("openat", C.openat(dirfd, path, flags, mode));
  }

  @Override
  public void close(int fd) {
    check("close", C.close(fd));
  }

  @Override
  public byte[] read(int fd, int count) {
    byte[] buf = new byte[count];
    int n = (int) check("read", C.read(fd, buf, count));
    return n == count ? buf : Arrays.copyOf(buf, n);
  }

  @Override
  public byte[] pread(int fd, int count, long offset) {
    byte[] buf = new byte[count];
    int n = (int) check("pread", C.pread(fd, buf, count, offset));
    return n == count ? buf : Arrays.copyOf(buf, n);
  }

  @Override
  public int write(int fd, byte[] data) {
    return (int) check("write", C.write(fd, data, data.length));
  }

  @Override
  public int pwrite(int fd, byte[] data, long offset) {
    return (int) check("pwrite", C.pwrite(fd, data, data.length, offset));
  }

  @Override
  public long lseek(int fd, long offset, int whence) {
    return check("lseek", C.lseek(fd, offset, whence));
  }

  @Override
  public void ftruncate(int fd, long length) {
    check("ftruncate", C.ftruncate(fd, length));
  }

  @Override
  public void truncate(String path, long length) {
    check("truncate", C.truncate(path, length));
  }

  @Override
  public void fsync(int fd) {
    check("fsync", C.fsync(fd));
  }

  @Override
  public void fdatasync(int fd) {
    check("fdatasync", C.fdatasync(fd));
  }

  @Override
  public void mkdir(String path, int mode) {
    check("mkdir", C.mkdir(path, mode));
  }

  @Override
  public void mkdirat(int dirfd, String path, int mode) {
    check("mkdirat", C.mkdirat(dirfd, path, mode));
  }

  @Override
  public void rmdir(String path) {
    check("rmdir", C.rmdir(path));
  }

  @Override
  public void unlink(String path) {
    check("unlink", C.unlink(path));
  }

  @Override
  public void unlinkat(int dirfd, String path, int flags) {
    check("unlinkat", C.unlinkat(dirfd, path, flags));
  }

  @Override
  public void rename(String from, String to) {
    check("rename", C.rename(from, to));
  }

  @Override
  public void renameat2(String from, String to, int flags) {
    check("renameat2", C.renameat2(Linux.AT_FDCWD, from, Linux.AT_FDCWD, to, flags));
  }

  @Override
  public void link(String existing, String newPath) {
    check("link", C.link(existing, newPath));
  }

  @Override
  public void symlink(String target, String linkPath) {
    check("symlink", C.symlink(target, linkPath));
  }

  @Override
  public String readlink(String path) {
    byte[] buf = new byte[8192];
    int n = (int) check("readlink", C.readlink(path, buf, buf.length));
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  @Override
  public void chmod(String path, int mode) {
    check("chmod", C.chmod(path, mode));
  }

  @Override
  public void fchmod(int fd, int mode) {
    check("fchmod", C.fchmod(fd, mode));
  }

  @Override
  public void chown(String path, int uid, int gid) {
    check("chown", C.chown(path, uid, gid));
  }

  @Override
  public void lchown(String path, int uid, int gid) {
    check("lchown", C.lchown(path, uid, gid));
  }

  @Override
  public void fchown(int fd, int uid, int gid) {
    check("fchown", C.fchown(fd, uid, gid));
  }

  @Override
  public void utimens(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
      int flags) {
    Pointer times = StructLayouts.timespecs(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    check("utimensat", C.utimensat(Linux.AT_FDCWD, path, times, flags));
  }

  @Override
  public void utimensNow(String path) {
    check("utimensat", C.utimensat(Linux.AT_FDCWD, path, null, 0));
  }

  @Override
  public FileStat stat(String path) {
    Pointer buf = StructLayouts.allocate(StructLayouts.STAT_SIZE);
    check("stat", C.stat(path, buf));
    return StructLayouts.stat(buf);
  }

  @Override
  public FileStat lstat(String path) {
    Pointer buf = StructLayouts.allocate(StructLayouts.STAT_SIZE);
    check("lstat", C.lstat(path, buf));
    return StructLayouts.stat(buf);
  }

  @Override
  public FileStat fstat(int fd) {
    Pointer buf = StructLayouts.allocate(StructLayouts.STAT_SIZE);
    check("fstat", C.fstat(fd, buf));
    return StructLayouts.stat(buf);
  }

  @Override
  public FileStat fstatat(int dirfd, String path, int flags) {
    Pointer buf = StructLayouts.allocate(StructLayouts.STAT_SIZE);
    check("fstatat", C.fstatat(dirfd, path, buf, flags));
    return StructLayouts.stat(buf);
  }

  @Override
  public FsStat statvfs(String path) {
    Pointer buf = StructLayouts.allocate(StructLayouts.STATVFS_SIZE);
    check("statvfs", C.statvfs(path, buf));
    return StructLayouts.statvfs(buf);
  }

  @Override
  public void mknod(String path, int mode, long dev) {
    check("mknod", C.mknod(path, mode, dev));
  }

  @Override
  public void setxattr(String path, String name, byte[] value, int flags) {
    check("setxattr", C.setxattr(path, name, value, value.length, flags));
  }

  @Override
  public byte[] getxattr(String path, String name, int bufferSize) {
    byte[] buf = new byte[bufferSize];
    int n = (int) check("getxattr", C.getxattr(path, name, buf, bufferSize));
    return Arrays.copyOf(buf, n);
  }

  @Override
  public long getxattrSize(String path, String name) {
    return check("getxattr", C.getxattr(path, name, null, 0));
  }

  @Override
  public List<String> listxattr(String path) {
    byte[] buf = new byte[65536];
    int n = (int) check("listxattr", C.listxattr(path, buf, buf.length));
    List<String> names = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] == 0) {
        names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return names;
  }

  @Override
  public long listxattrSize(String path, int bufferSize) {
    byte[] buf = bufferSize == 0 ? null : new byte[bufferSize];
    return check("listxattr", C.listxattr(path, buf, bufferSize));
  }

  @Override
  public void removexattr(String path, String name) {
    check("removexattr", C.removexattr(path, name));
  }

  @Override
  public void access(String path, int mode) {
    check("access", C.access(path, mode));
  }

  @Override
  public void fallocate(int fd, int mode, long offset, long length) {
    check("fallocate", C.fallocate(fd, mode, offset, length));
  }

  @Override
  public long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length) {
    return check("copy_file_range", C.copy_file_range(fdIn, new long[] {offIn}, fdOut,
        new long[] {offOut}, length, 0));
  }

  @Override
  public void flock(int fd, int operation) {
    check("flock", C.flock(fd, operation));
  }

  @Override
  public void setlk(int fd, short type, long start, long length) {
    check("fcntl(F_SETLK)", C.fcntl(fd, Linux.F_SETLK, StructLayouts.flock(type, start, length)));
  }

  @Override
  public void setlkw(int fd, short type, long start, long length) {
    check("fcntl(F_SETLKW)", C.fcntl(fd, Linux.F_SETLKW, StructLayouts.flock(type, start, length)));
  }

  @Override
  public LockInfo getlk(int fd, short type, long start, long length) {
    Pointer lock = StructLayouts.flock(type, start, length);
    check("fcntl(F_GETLK)", C.fcntl(fd, Linux.F_GETLK, lock));
    return StructLayouts.lockInfo(lock);
  }

  @Override
  public byte[] mmapRead(int fd, long offset, int length) {
    Pointer map = C.mmap(null, length, Linux.PROT_READ, Linux.MAP_SHARED, fd, offset);
    if (map == null || map.address() == -1L) {
      throw new ErrnoException("mmap", errno());
    }
    try {
      // Copied in C, not by jnr's Pointer.get: that copy runs as JVM code, and a page fault on
      // a FUSE file served by this same JVM (the in-process mount) then holds off every
      // safepoint while the serving threads wait for one: a deadlock.
      byte[] out = new byte[length];
      C.memcpy(out, map, length);
      return out;
    } finally {
      C.munmap(map, length);
    }
  }

  @Override
  public List<String> readdir(String path) {
    Pointer dir = C.opendir(path);
    if (dir == null) {
      throw new ErrnoException("opendir", errno());
    }
    try {
      List<String> names = new ArrayList<>();
      // struct dirent64 on x86_64: d_ino 8, d_off 8, d_reclen 2, d_type 1, then d_name.
      for (Pointer ent = C.readdir(dir); ent != null; ent = C.readdir(dir)) {
        names.add(ent.getString(19));
      }
      return names;
    } finally {
      C.closedir(dir);
    }
  }

  private static byte[] cString(byte[] name) {
    return Arrays.copyOf(name, name.length + 1);
  }

  @Override
  public void createRaw(int dirfd, byte[] name) {
    int fd = (int) check("openat", C.openat(dirfd, cString(name),
        Linux.O_CREAT | Linux.O_EXCL | Linux.O_WRONLY, 0644));
    close(fd);
  }

  @Override
  public void unlinkRaw(int dirfd, byte[] name) {
    check("unlinkat", C.unlinkat(dirfd, cString(name), 0));
  }

  @Override
  public List<byte[]> readdirRaw(String path) {
    Pointer dir = C.opendir(path);
    if (dir == null) {
      throw new ErrnoException("opendir", errno());
    }
    try {
      List<byte[]> names = new ArrayList<>();
      for (Pointer ent = C.readdir(dir); ent != null; ent = C.readdir(dir)) {
        int len = ent.indexOf(19, (byte) 0);
        byte[] name = new byte[len];
        ent.get(19, name, 0, len);
        names.add(name);
      }
      return names;
    } finally {
      C.closedir(dir);
    }
  }

  @Override
  public int umask(int mask) {
    return C.umask(mask);
  }

  @Override
  public int getpid() {
    return C.getpid();
  }

  @Override
  public int geteuid() {
    return C.geteuid();
  }
}
