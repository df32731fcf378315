package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.fuse.MountFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holes and copies through a real mount of a size 3 volume (4 MiB chunks): punched holes and
 * zeroed ranges free their blocks on every brick and read as zeros on another mount;
 * SEEK_DATA and SEEK_HOLE find them; copy_file_range copies chunk pieces on the storage nodes.
 * The POSIX suite's exerciser checks the same calls against its model at random.
 */
class SparseFilesOnCairnIT {
  private static final int MIB = 1 << 20;
  private static final Sys SYS = NativeSys.INSTANCE;
  static MountFixture fx;
  static Path root;
  static Path other;

  @BeforeAll
  static void mount() throws Exception {
    fx = MountFixture.start(3, 3);
    root = fx.root();
    other = fx.mountAnother();
  }

  @AfterAll
  static void unmount() {
    if (fx != null) {
      fx.close();
    }
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** KiB the bricks of every storage node take on disk (du: allocated blocks, not sizes). */
  static long brickKib() throws Exception {
    Process p = new ProcessBuilder("du", "-sk", fx.cluster().baseDir().resolve("bricks").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return Long.parseLong(out.trim().split("\\s+")[0]);
  }

  @Test
  void aPunchedHoleReadsAsZerosTakesNoSpaceOnAnyBrickAndSeekFindsIt() throws Exception {
    Path f = root.resolve("punched");
    byte[] data = random(10 * MIB, 1);
    Files.write(f, data);
    long before = brickKib();
    int fd = SYS.open(f.toString(), Linux.O_RDWR);
    try {
      // 1 MiB to 7 MiB: the end of chunk 0 and the start of chunk 1.
      SYS.fallocate(fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, MIB, 6 * MIB);
      assertThat(SYS.fstat(fd).size()).isEqualTo(10 * MIB);
      assertThat(SYS.lseek(fd, 0, Linux.SEEK_HOLE)).isEqualTo(MIB);
      assertThat(SYS.lseek(fd, MIB, Linux.SEEK_DATA)).isEqualTo(7 * MIB);
      assertThat(SYS.lseek(fd, 7 * MIB, Linux.SEEK_HOLE)).as("the end of the file").isEqualTo(10 * MIB);
      assertThatThrownBy(() -> SYS.lseek(fd, 10 * MIB, Linux.SEEK_DATA))
          .isInstanceOf(ErrnoException.class)
          .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENXIO));
    } finally {
      SYS.close(fd);
    }
    Arrays.fill(data, MIB, 7 * MIB, (byte) 0);
    assertThat(Files.readAllBytes(other.resolve("punched"))).isEqualTo(data);
    long freed = before - brickKib();
    assertThat(freed).as("KiB freed on the bricks (6 MiB on each of 3 replicas)")
        .isGreaterThanOrEqualTo(3 * 6 * 1024 * 9 / 10);
    // Writing into the hole again fills it, and the rest stays zeros.
    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {7, 7, 7}), 3 * MIB);
    }
    data[3 * MIB] = data[3 * MIB + 1] = data[3 * MIB + 2] = 7;
    assertThat(Files.readAllBytes(other.resolve("punched"))).isEqualTo(data);
  }

  @Test
  void zeroRangeZeroesWithAndWithoutKeepingTheSize() throws Exception {
    Path f = root.resolve("zeroed");
    byte[] data = random(6 * MIB, 2);
    Files.write(f, data);
    int fd = SYS.open(f.toString(), Linux.O_RDWR);
    try {
      SYS.fallocate(fd, Linux.FALLOC_FL_ZERO_RANGE | Linux.FALLOC_FL_KEEP_SIZE, 5 * MIB, 4 * MIB);
      assertThat(SYS.fstat(fd).size()).isEqualTo(6 * MIB);
      SYS.fallocate(fd, Linux.FALLOC_FL_ZERO_RANGE, 100, 1000);
      assertThat(SYS.fstat(fd).size()).isEqualTo(6 * MIB);
      SYS.fallocate(fd, Linux.FALLOC_FL_ZERO_RANGE, 4 * MIB - 10, 3 * MIB);
      assertThat(SYS.fstat(fd).size()).as("grown to the range's end").isEqualTo(7 * MIB - 10);
    } finally {
      SYS.close(fd);
    }
    byte[] expected = Arrays.copyOf(data, 7 * MIB - 10);
    Arrays.fill(expected, 100, 1100, (byte) 0);
    Arrays.fill(expected, 4 * MIB - 10, expected.length, (byte) 0);
    assertThat(Files.readAllBytes(other.resolve("zeroed"))).isEqualTo(expected);
  }

  @Test
  void copyFileRangeCopiesOnTheStorageNodesAndReadsBackIdentical() throws Exception {
    byte[] data = random(9 * MIB + 12345, 3);
    Files.write(root.resolve("copy-src"), data);
    double copiedBefore = copiedBytes();
    int in = SYS.open(root.resolve("copy-src").toString(), Linux.O_RDONLY);
    int out = SYS.open(root.resolve("copy-dst").toString(), Linux.O_RDWR | Linux.O_CREAT, 0644);
    try {
      long done = 0;
      while (done < data.length) {
        long n = SYS.copyFileRange(in, done, out, done, data.length - done);
        assertThat(n).isPositive();
        done += n;
      }
      assertThat(SYS.copyFileRange(in, data.length, out, data.length, 100)).as("at the end").isZero();
      // Another range of the source, to an offset of another phase within the chunks.
      assertThat(SYS.copyFileRange(in, 3 * MIB + 5, out, 12 * MIB + 77, 2 * MIB)).isEqualTo(2 * MIB);
    } finally {
      SYS.close(in);
      SYS.close(out);
    }
    byte[] expected = Arrays.copyOf(data, 14 * MIB + 77);
    System.arraycopy(data, 3 * MIB + 5, expected, 12 * MIB + 77, 2 * MIB);
    assertThat(Files.readAllBytes(other.resolve("copy-dst"))).isEqualTo(expected);
    // The first MiB went through the client (a new file decides inline or chunks by its first
    // writes); every later piece went from storage node to storage node.
    assertThat(copiedBytes() - copiedBefore).isGreaterThanOrEqualTo(data.length - MIB + 2 * MIB);
  }

  @Test
  void copyFileRangeRefusesADestinationOpenForReadingOnly() throws Exception {
    Files.write(root.resolve("ro-src"), random(1000, 4));
    Files.write(root.resolve("ro-dst"), new byte[10]);
    int in = SYS.open(root.resolve("ro-src").toString(), Linux.O_RDONLY);
    int out = SYS.open(root.resolve("ro-dst").toString(), Linux.O_RDONLY);
    try {
      assertThatThrownBy(() -> SYS.copyFileRange(in, 0, out, 0, 1000))
          .isInstanceOf(ErrnoException.class)
          .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EBADF));
    } finally {
      SYS.close(in);
      SYS.close(out);
    }
    assertThat(Files.readAllBytes(root.resolve("ro-dst"))).isEqualTo(new byte[10]);
  }

  private static double copiedBytes() {
    double sum = 0;
    for (int i = 0; i < fx.cluster().nodeCount(); i++) {
      sum += fx.cluster().nodeCounter(i, "cairn_node_copied_bytes");
    }
    return sum;
  }
}
