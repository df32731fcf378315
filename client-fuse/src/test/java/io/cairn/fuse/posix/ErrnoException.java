package io.cairn.fuse.posix;

/** A system call failed; carries the errno so tests can assert the exact one. */
public final class ErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int number;

  public ErrnoException(String call, int number) {
    super(call + ": " + Errno.of(number) + " (" + number + ")");
    this.number = number;
  }

  public Errno errno() {
    return Errno.of(number);
  }

  public int number() {
    return number;
  }
}
