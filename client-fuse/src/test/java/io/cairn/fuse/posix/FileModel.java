package io.cairn.fuse.posix;

import java.util.Arrays;

/**
 * What a file's bytes must be after a sequence of operations: the oracle of
 * {@link FileExerciser}. Pure and in memory; mirrors POSIX size rules (writes past the end leave
 * zero-filled holes, truncate cuts or zero-extends, fallocate mode 0 extends, KEEP_SIZE never
 * changes the size, punching zeroes only inside the size).
 */
final class FileModel {
  private byte[] bytes = new byte[0];
  private int size;

  int size() {
    return size;
  }

  void write(long offset, byte[] data) {
    int end = Math.toIntExact(offset + data.length);
    ensure(end);
    System.arraycopy(data, 0, bytes, (int) offset, data.length);
    size = Math.max(size, end);
  }

  void truncate(long newSize) {
    int n = Math.toIntExact(newSize);
    ensure(n);
    if (n < size) {
      // zero the cut part so a later grow reads zeros, as the file system must
      Arrays.fill(bytes, n, size, (byte) 0);
    }
    size = n;
  }

  void fallocate(int mode, long offset, long length) {
    int end = Math.toIntExact(offset + length);
    if ((mode & (Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_ZERO_RANGE)) != 0) {
      Arrays.fill(bytes, (int) Math.min(offset, size), Math.min(end, size), (byte) 0);
    }
    if ((mode & Linux.FALLOC_FL_PUNCH_HOLE) != 0) {
      return;
    }
    if ((mode & Linux.FALLOC_FL_KEEP_SIZE) == 0 && end > size) {
      ensure(end);
      size = end;
    }
  }

  /** copy_file_range within the file: the bytes copied (fewer at the end, 0 past it). */
  int copy(long from, long to, int length) {
    int n = (int) Math.max(0, Math.min(length, size - from));
    if (n > 0) {
      write(to, Arrays.copyOfRange(bytes, (int) from, (int) from + n));
    }
    return n;
  }

  /** Whether [from, to) reads as zeros (a range a file system may call a hole). */
  boolean zeros(long from, long to) {
    for (int i = (int) from; i < Math.min(to, size); i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The bytes a read of [offset, offset+length) returns: short at end of file. */
  byte[] read(long offset, int length) {
    if (offset >= size) {
      return new byte[0];
    }
    int end = (int) Math.min(size, offset + length);
    return Arrays.copyOfRange(bytes, (int) offset, end);
  }

  private void ensure(int capacity) {
    if (capacity > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
    }
  }
}
