package io.cairn.fuse.posix;

import java.io.Serializable;

/** The fields of struct stat the suite checks. Times are nanoseconds since the epoch. */
public record FileStat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev,
    long size, long blksize, long blocks, long atime, long mtime, long ctime)
    implements Serializable {

  public int type() {
    return mode & Linux.S_IFMT;
  }

  public int perm() {
    return mode & 07777;
  }

  public boolean isDir() {
    return type() == Linux.S_IFDIR;
  }

  public boolean isRegular() {
    return type() == Linux.S_IFREG;
  }

  public boolean isSymlink() {
    return type() == Linux.S_IFLNK;
  }
}
