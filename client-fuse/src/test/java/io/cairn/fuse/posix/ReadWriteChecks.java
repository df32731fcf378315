package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EINVAL;
import static io.cairn.fuse.posix.Errno.EISDIR;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Data path: offsets, holes, sizes across 1 MiB, truncate, sync, mmap reads. */
abstract class ReadWriteChecks extends CheckBase {
  private static final int MIB = 1 << 20;

  @Test
  void oddSizedWritesAcrossOneMebibyteReadBackInOtherPieces() {
    byte[] data = randomBytes(1, 3 * MIB + 4321);
    int fd = root.open(p("f"), O_CREAT | O_WRONLY, 0644);
    int[] pieces = {1, 4095, 4097, 65536, 131073, 777_777, MIB + 3};
    int off = 0;
    for (int i = 0; off < data.length; i++) {
      int n = Math.min(pieces[i % pieces.length], data.length - off);
      assertThat(root.write(fd, Arrays.copyOfRange(data, off, off + n))).isEqualTo(n);
      off += n;
    }
    assertThat(root.fstat(fd).size()).as("size seen through the writing fd").isEqualTo(data.length);
    root.close(fd);
    assertThat(root.stat(p("f")).size()).isEqualTo(data.length);
    int rd = root.open(p("f"), O_RDONLY);
    // preads straddling the 1 MiB boundaries
    for (long at : new long[] {0, MIB - 1, MIB - 100, 2L * MIB - 7, 3L * MIB}) {
      byte[] got = root.pread(rd, 300_000, at);
      int end = (int) Math.min(data.length, at + 300_000);
      assertBytes(got, Arrays.copyOfRange(data, (int) at, end));
    }
    root.close(rd);
    assertBytes(readFile(p("f")), data);
  }

  @Test
  void writingPastTheEndLeavesAHoleThatReadsAsZeros() {
    int fd = root.open(p("f"), O_CREAT | O_RDWR, 0644);
    root.pwrite(fd, new byte[] {1, 2, 3}, 0);
    root.pwrite(fd, new byte[] {9}, MIB + 500);
    assertThat(root.fstat(fd).size()).isEqualTo(MIB + 501);
    byte[] hole = root.pread(fd, MIB, 3);
    assertThat(hole).hasSize(MIB);
    assertThat(countNonZero(hole)).isZero();
    assertThat(root.pread(fd, 10, MIB + 500)).containsExactly(9);
    assertThat(root.pread(fd, 10, MIB + 501)).as("read at EOF").isEmpty();
    assertThat(root.pread(fd, 10, 5L * MIB)).as("read past EOF").isEmpty();
    root.close(fd);
  }

  @Test
  void overwriteInTheMiddleKeepsSizeAndNeighbours() {
    byte[] data = randomBytes(2, 200_000);
    writeFile(p("f"), data);
    int fd = root.open(p("f"), O_WRONLY);
    byte[] patch = randomBytes(3, 10_000);
    root.pwrite(fd, patch, 123_456);
    root.close(fd);
    System.arraycopy(patch, 0, data, 123_456, patch.length);
    assertThat(root.stat(p("f")).size()).isEqualTo(200_000);
    assertBytes(readFile(p("f")), data);
  }

  /** 64-bit offsets: a sparse write past 4 GiB (int overflow in chunk maths shows here). */
  @Test
  void offsetsBeyondFourGibibytes() {
    long far = (5L << 30) + 3;
    int fd = root.open(p("f"), O_CREAT | O_RDWR, 0644);
    try {
      root.pwrite(fd, new byte[] {1, 2, 3}, far);
      assertThat(root.fstat(fd).size()).isEqualTo(far + 3);
      assertThat(root.pread(fd, 10, far)).containsExactly(1, 2, 3);
      assertThat(countNonZero(root.pread(fd, 65536, 4L << 30))).isZero();
      assertThat(countNonZero(root.pread(fd, 65536, (1L << 32) - 100))).isZero();
      root.ftruncate(fd, far + 1);
      assertThat(root.pread(fd, 10, far)).containsExactly(1);
    } finally {
      root.close(fd);
    }
    assertThat(root.stat(p("f")).size()).isEqualTo(far + 1);
    root.truncate(p("f"), 0);
  }

  @Test
  void emptyWritesChangeNothingAndDirectoriesCannotBeRead() {
    writeFile(p("f"), new byte[] {1});
    int fd = root.open(p("f"), O_WRONLY);
    assertThat(root.pwrite(fd, new byte[0], 100)).isZero();
    assertThat(root.fstat(fd).size()).isEqualTo(1);
    root.close(fd);
    root.mkdir(p("d"), 0755);
    int dfd = root.open(p("d"), O_RDONLY);
    try {
      expectErrno(EISDIR, () -> root.read(dfd, 10));
    } finally {
      root.close(dfd);
    }
  }

  /** Permission is checked at open: later mode changes do not stop an open descriptor. */
  @Test
  void anOpenDescriptorKeepsItsAccessAfterChmod() {
    assumeRoot();
    writeFile(alice(), p("f"), new byte[] {1, 2, 3});
    int w = alice().open(p("f"), O_WRONLY);
    int r = alice().open(p("f"), O_RDONLY);
    try {
      root.chmod(p("f"), 0);
      alice().pwrite(w, new byte[] {9}, 0);
      alice().ftruncate(w, 2);
      assertThat(alice().pread(r, 10, 0)).containsExactly(9, 2);
      expectErrno(Errno.EACCES, () -> alice().open(p("f"), O_RDONLY));
    } finally {
      alice().close(w);
      alice().close(r);
    }
  }

  @Test
  void sequentialReadAndSeekFollowTheOffset() {
    writeFile(p("f"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    int fd = root.open(p("f"), O_RDONLY);
    assertThat(root.read(fd, 3)).containsExactly(0, 1, 2);
    assertThat(root.read(fd, 3)).containsExactly(3, 4, 5);
    assertThat(root.lseek(fd, -2, Linux.SEEK_END)).isEqualTo(8);
    assertThat(root.read(fd, 5)).containsExactly(8, 9);
    assertThat(root.read(fd, 5)).isEmpty();
    root.close(fd);
  }

  @Test
  void truncateShrinksThenGrowsWithZerosNotOldData() {
    byte[] data = randomBytes(4, MIB + 10_000);
    writeFile(p("f"), data);
    root.truncate(p("f"), 1000);
    assertThat(root.stat(p("f")).size()).isEqualTo(1000);
    root.truncate(p("f"), MIB + 20_000);
    byte[] got = readFile(p("f"));
    assertThat(got).hasSize(MIB + 20_000);
    assertBytes(Arrays.copyOf(got, 1000), Arrays.copyOf(data, 1000));
    assertThat(countNonZero(Arrays.copyOfRange(got, 1000, got.length))).isZero();
  }

  @Test
  void ftruncateThroughAnOpenDescriptorIsSeenByItsReads() {
    int fd = root.open(p("f"), O_CREAT | O_RDWR, 0644);
    root.write(fd, randomBytes(5, 5000));
    root.ftruncate(fd, 100);
    assertThat(root.fstat(fd).size()).isEqualTo(100);
    assertThat(root.pread(fd, 5000, 0)).hasSize(100);
    root.ftruncate(fd, 3 * MIB);
    assertThat(root.fstat(fd).size()).isEqualTo(3 * MIB);
    assertThat(countNonZero(root.pread(fd, MIB, 2 * MIB))).isZero();
    root.close(fd);
  }

  @Test
  void truncateErrors() {
    root.mkdir(p("d"), 0755);
    writeFile(p("f"), new byte[10]);
    expectErrno(EISDIR, () -> root.truncate(p("d"), 0));
    expectErrno(ENOENT, () -> root.truncate(p("missing"), 0));
    expectErrno(EINVAL, () -> root.truncate(p("f"), -1));
    int ro = root.open(p("f"), O_RDONLY);
    try {
      // Linux: ftruncate on a descriptor not open for writing
      expectErrnoIn(() -> root.ftruncate(ro, 0), EINVAL, Errno.EBADF);
    } finally {
      root.close(ro);
    }
  }

  @Test
  void syncCallsSucceedAndDataSurvivesReopen() {
    byte[] data = randomBytes(6, 70_000);
    int fd = root.open(p("f"), O_CREAT | O_WRONLY, 0644);
    root.write(fd, data);
    root.fsync(fd);
    root.pwrite(fd, new byte[] {42}, 0);
    root.fdatasync(fd);
    root.close(fd);
    data[0] = 42;
    assertBytes(readFile(p("f")), data);
    int dfd = root.open(dir, O_RDONLY);
    root.fsync(dfd);
    root.close(dfd);
  }

  @Test
  void twoDescriptorsOfOneProcessSeeEachOthersWritesAtOnce() {
    int w = root.open(p("f"), O_CREAT | O_WRONLY, 0644);
    int r = root.open(p("f"), O_RDONLY);
    root.write(w, new byte[] {1, 2, 3});
    assertThat(root.pread(r, 10, 0)).containsExactly(1, 2, 3);
    root.pwrite(w, new byte[] {7}, 1);
    assertThat(root.pread(r, 10, 0)).containsExactly(1, 7, 3);
    assertThat(root.fstat(r).size()).isEqualTo(3);
    root.close(w);
    root.close(r);
  }

  @Test
  void mmapReadSeesWrittenBytesAndHoles() {
    byte[] data = randomBytes(7, 3 * MIB / 2);
    writeFile(p("f"), data);
    int fd = root.open(p("f"), O_RDWR);
    try {
      root.pwrite(fd, new byte[] {5}, 2L * MIB);
      byte[] got = root.mmapRead(fd, 0, 2 * MIB + 1);
      assertBytes(Arrays.copyOf(got, data.length), data);
      assertThat(countNonZero(Arrays.copyOfRange(got, data.length, 2 * MIB))).isZero();
      assertThat(got[2 * MIB]).isEqualTo((byte) 5);
      // a mapping made after a write through the descriptor sees it
      root.pwrite(fd, new byte[] {6, 6}, MIB - 1);
      assertThat(root.mmapRead(fd, MIB - 4096, 8192)[4095]).isEqualTo((byte) 6);
      assertThat(root.mmapRead(fd, MIB, 4096)[0]).isEqualTo((byte) 6);
    } finally {
      root.close(fd);
    }
  }

  @Test
  void javaNioPositionalIoAgrees() throws IOException {
    try (FileChannel ch = FileChannel.open(Path.of(p("f")), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), MIB - 2);
      assertThat(ch.size()).isEqualTo(MIB + 2);
      ByteBuffer buf = ByteBuffer.allocate(4);
      ch.read(buf, MIB - 2);
      assertThat(buf.array()).containsExactly(1, 2, 3, 4);
    }
  }

  static int countNonZero(byte[] b) {
    int n = 0;
    for (byte x : b) {
      if (x != 0) {
        n++;
      }
    }
    return n;
  }
}
