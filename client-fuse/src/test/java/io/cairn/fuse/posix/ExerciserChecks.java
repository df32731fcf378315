package io.cairn.fuse.posix;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link FileExerciser} on the target. Seed and length come from the system properties
 * {@code cairn.fsx.seed} (default: random, printed) and {@code cairn.fsx.ops} (default 3000).
 * Seeks for data and holes and copies within the file run everywhere; fallocate, hole punching
 * and zero-range are probed first and used only where the target supports them
 * (printed, so each run's report says which).
 */
abstract class ExerciserChecks extends CheckBase {

  @Test
  void randomOperationsMatchTheModel() {
    exercise(List.of(p("fsx")));
  }

  /** The same, reopening through either client: close-to-open for data and size. */
  @Test
  void randomOperationsMatchTheModelAcrossTwoClients() {
    assumeTrue(target().hasSecondClient(), "the target has only one client");
    exercise(List.of(p("fsx"), p2("fsx")));
  }

  private void exercise(List<String> paths) {
    long seed = Long.getLong("cairn.fsx.seed", System.nanoTime());
    int ops = Integer.getInteger("cairn.fsx.ops", 3000);
    boolean fallocate = supports(0);
    boolean punch = supports(Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE);
    boolean zero = supports(Linux.FALLOC_FL_ZERO_RANGE);
    System.out.printf("[posix] %s: fsx on %d client(s), seed %d, %d ops, fallocate %s, "
        + "punch hole %s, zero range %s, SEEK_DATA/SEEK_HOLE and copy_file_range%n",
        target().root(), paths.size(), seed, ops, fallocate, punch, zero);
    new FileExerciser(root, paths, new FileExerciser.Config(seed, ops, (3 << 20) / 2 + 12_345, 40,
        fallocate, punch, zero, true, true)).run();
  }

  private boolean supports(int mode) {
    int fd = root.open(p("probe"), Linux.O_RDWR | Linux.O_CREAT, 0644);
    try {
      root.write(fd, new byte[8192]);
      Errno e = outcome(() -> root.fallocate(fd, mode, 0, 4096));
      if (e != null && e != Errno.EOPNOTSUPP) {
        throw new AssertionError("fallocate mode " + mode + " failed with " + e);
      }
      return e == null;
    } finally {
      root.close(fd);
      root.unlink(p("probe"));
    }
  }
}
