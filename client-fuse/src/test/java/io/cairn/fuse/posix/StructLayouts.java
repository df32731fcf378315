package io.cairn.fuse.posix;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Hand-decoded x86_64 glibc struct layouts (stat 144 bytes, statvfs 112, flock 32, timespec 16).
 * Decoding by offset keeps the binding free of jnr-ffi's Struct reflection and makes the ABI
 * assumption explicit in one place.
 */
final class StructLayouts {
  static final int STAT_SIZE = 144;
  static final int STATVFS_SIZE = 112;
  static final int FLOCK_SIZE = 32;

  private StructLayouts() {}

  static Pointer allocate(int size) {
    return Memory.allocateDirect(Runtime.getSystemRuntime(), size, true);
  }

  static FileStat stat(Pointer p) {
    return new FileStat(p.getLong(0), p.getLong(8), p.getLong(16), p.getInt(24), p.getInt(28),
        p.getInt(32), p.getLong(40), p.getLong(48), p.getLong(56), p.getLong(64),
        nanos(p, 72), nanos(p, 88), nanos(p, 104));
  }

  private static long nanos(Pointer p, long offset) {
    return p.getLong(offset) * 1_000_000_000L + p.getLong(offset + 8);
  }

  static FsStat statvfs(Pointer p) {
    return new FsStat(p.getLong(0), p.getLong(8), p.getLong(16), p.getLong(24), p.getLong(32),
        p.getLong(40), p.getLong(48), p.getLong(56), p.getLong(72), p.getLong(80));
  }

  static Pointer timespecs(long aSec, long aNsec, long mSec, long mNsec) {
    Pointer p = allocate(32);
    p.putLong(0, aSec);
    p.putLong(8, aNsec);
    p.putLong(16, mSec);
    p.putLong(24, mNsec);
    return p;
  }

  static Pointer flock(short type, long start, long len) {
    Pointer p = allocate(FLOCK_SIZE);
    p.putShort(0, type);
    p.putShort(2, (short) Linux.SEEK_SET);
    p.putLong(8, start);
    p.putLong(16, len);
    return p;
  }

  static LockInfo lockInfo(Pointer p) {
    return new LockInfo(p.getShort(0), p.getLong(8), p.getLong(16), p.getInt(24));
  }
}
