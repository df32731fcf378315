package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EBADF;
import static io.cairn.fuse.posix.Errno.EINVAL;
import static io.cairn.fuse.posix.Errno.EOPNOTSUPP;
import static io.cairn.fuse.posix.Linux.FALLOC_FL_KEEP_SIZE;
import static io.cairn.fuse.posix.Linux.FALLOC_FL_PUNCH_HOLE;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * fallocate: mode 0 and KEEP_SIZE change the size as specified and never the data; punching a
 * hole either zeroes exactly the range or is refused with EOPNOTSUPP (printed, so each target's
 * report says which).
 */
abstract class FallocateChecks extends CheckBase {

  @Test
  void modeZeroGrowsTheFileWithZerosAndKeepsData() {
    byte[] data = randomBytes(21, 10_000);
    writeFile(p("f"), data);
    int fd = root.open(p("f"), O_RDWR);
    try {
      root.fallocate(fd, 0, 0, 5_000);
      assertThat(root.fstat(fd).size()).as("inside the file: no change").isEqualTo(10_000);
      root.fallocate(fd, 0, 8_000, 1 << 20);
      assertThat(root.fstat(fd).size()).isEqualTo(8_000 + (1 << 20));
      byte[] got = root.pread(fd, 2 << 20, 0);
      assertBytes(Arrays.copyOf(got, 10_000), data);
      assertThat(ReadWriteChecks.countNonZero(Arrays.copyOfRange(got, 10_000, got.length)))
          .isZero();
    } finally {
      root.close(fd);
    }
  }

  @Test
  void keepSizeDoesNotChangeTheSize() {
    writeFile(p("f"), randomBytes(22, 4096));
    int fd = root.open(p("f"), O_RDWR);
    try {
      root.fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20);
      assertThat(root.fstat(fd).size()).isEqualTo(4096);
      root.pwrite(fd, new byte[] {1}, 100_000);
      assertThat(root.fstat(fd).size()).isEqualTo(100_001);
      assertThat(ReadWriteChecks.countNonZero(root.pread(fd, 95_000, 4096))).isZero();
    } finally {
      root.close(fd);
    }
  }

  @Test
  void punchHoleZeroesTheRangeOrIsUnsupported() {
    byte[] data = randomBytes(23, 3 * 65536);
    writeFile(p("f"), data);
    int fd = root.open(p("f"), O_RDWR);
    try {
      Errno e = outcome(() -> root.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
          65536 + 100, 65536));
      System.out.println("[posix] " + target().root() + ": punch hole -> "
          + (e == null ? "supported" : e));
      if (e != null) {
        assertThat(e).isEqualTo(EOPNOTSUPP);
        assertBytes(root.pread(fd, data.length, 0), data);
        return;
      }
      Arrays.fill(data, 65536 + 100, 2 * 65536 + 100, (byte) 0);
      assertThat(root.fstat(fd).size()).isEqualTo(data.length);
      assertBytes(root.pread(fd, data.length, 0), data);
    } finally {
      root.close(fd);
    }
  }

  @Test
  void argumentErrorsAreCheckedBeforeTheFileSystem() {
    writeFile(p("f"), new byte[10]);
    int ro = root.open(p("f"), O_RDONLY);
    int rw = root.open(p("f"), O_RDWR | O_CREAT, 0644);
    try {
      expectErrno(EBADF, () -> root.fallocate(ro, 0, 0, 100));
      expectErrno(EINVAL, () -> root.fallocate(rw, 0, 0, 0));
      expectErrno(EINVAL, () -> root.fallocate(rw, 0, -1, 10));
      // the kernel insists that punching a hole keeps the size
      expectErrno(EOPNOTSUPP, () -> root.fallocate(rw, FALLOC_FL_PUNCH_HOLE, 0, 5));
    } finally {
      root.close(ro);
      root.close(rw);
    }
  }
}
