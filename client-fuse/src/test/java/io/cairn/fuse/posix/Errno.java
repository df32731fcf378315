package io.cairn.fuse.posix;

/** Linux errno numbers (x86_64) the suite names in its expectations. */
public enum Errno {
  EPERM(1), ENOENT(2), EIO(5), E2BIG(7), ENXIO(6), EBADF(9), EAGAIN(11), ENOMEM(12), EACCES(13),
  EBUSY(16), EEXIST(17), EXDEV(18), ENODEV(19), ENOTDIR(20), EISDIR(21), EINVAL(22),
  ETXTBSY(26), EFBIG(27), ENOSPC(28), ESPIPE(29), EROFS(30), EMLINK(31), ERANGE(34),
  EDEADLK(35), ENAMETOOLONG(36), ENOLCK(37), ENOSYS(38), ENOTEMPTY(39), ELOOP(40),
  ENODATA(61), EOVERFLOW(75), EOPNOTSUPP(95), EDQUOT(122),
  /** Any number not listed above; {@link ErrnoException#number()} keeps the real one. */
  UNKNOWN(-1);

  private final int number;

  Errno(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static Errno of(int number) {
    for (Errno e : values()) {
      if (e.number == number) {
        return e;
      }
    }
    return UNKNOWN;
  }
}
