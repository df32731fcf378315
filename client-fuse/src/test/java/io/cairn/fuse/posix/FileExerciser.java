package io.cairn.fuse.posix;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * fsx-style random exerciser: thousands of random writes, truncates, reads, fallocates, mmap
 * reads, syncs and close/reopen cycles on one file, every result checked against a
 * {@link FileModel}. Deterministic for a seed: a failure names the seed (rerun with
 * {@code -Dcairn.fsx.seed=...}) and the last operations. When several paths name the same file
 * (one per client), reopening alternates between them, which checks close-to-open too.
 */
final class FileExerciser {
  /**
   * @param maxSize largest offset+length an operation touches; keep it above 1 MiB so pieces
   *     straddle the 1 MiB boundaries client code tends to split on
   */
  record Config(long seed, int operations, int maxSize, int history, boolean fallocate,
      boolean punchHole, boolean zeroRange, boolean seekHoles, boolean copyRange) {
    /** Without zero-range, SEEK_DATA/SEEK_HOLE and copy_file_range. */
    Config(long seed, int operations, int maxSize, int history, boolean fallocate,
        boolean punchHole) {
      this(seed, operations, maxSize, history, fallocate, punchHole, false, false, false);
    }
  }

  sealed interface Op {}

  record Write(long offset, int length, long dataSeed) implements Op {}

  record Truncate(long size) implements Op {}

  record Read(long offset, int length) implements Op {}

  record MapRead(long offset, int length) implements Op {}

  record Fallocate(int mode, long offset, long length) implements Op {}

  record Sync(boolean dataOnly) implements Op {}

  record Seek(long offset, boolean data) implements Op {}

  record Copy(long from, long to, int length) implements Op {}

  record Reopen(int pathIndex) implements Op {}

  record CheckAll() implements Op {}

  private static final int PAGE = 4096;
  private static final int MIB = 1 << 20;

  private final Sys sys;
  private final List<String> paths;
  private final Config config;
  private final Random random;
  private final FileModel model = new FileModel();
  private final Deque<String> history = new ArrayDeque<>();
  private int fd = -1;

  FileExerciser(Sys sys, List<String> paths, Config config) {
    this.sys = sys;
    this.paths = paths;
    this.config = config;
    this.random = new Random(config.seed());
  }

  void run() {
    fd = sys.open(paths.get(0), Linux.O_RDWR | Linux.O_CREAT | Linux.O_TRUNC, 0644);
    try {
      for (int i = 0; i < config.operations(); i++) {
        Op op = next();
        remember(i, op);
        try {
          apply(op);
          checkSize(op);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(report(i, op, e.getMessage()), e);
        }
      }
      apply(new CheckAll());
    } finally {
      if (fd >= 0) {
        sys.close(fd);
      }
    }
  }

  private Op next() {
    int size = model.size();
    int roll = random.nextInt(100);
    if (roll < 30) {
      long off = offset();
      int len = length();
      len = (int) Math.min(len, config.maxSize() - off);
      return new Write(off, Math.max(1, len), random.nextLong());
    }
    if (roll < 55) {
      return new Read(size == 0 ? 0 : random.nextInt(size + PAGE), length());
    }
    if (roll < 63) {
      return new Truncate(random.nextInt(10) == 0 ? 0 : random.nextInt(config.maxSize()));
    }
    if (roll < 71 && size > 0) {
      long off = (random.nextInt(size) / PAGE) * (long) PAGE;
      return new MapRead(off, (int) Math.min(length(), size - off));
    }
    if (roll < 79 && config.fallocate()) {
      long off = offset();
      long len = Math.max(1, Math.min(length(), config.maxSize() - off));
      int mode = random.nextBoolean() ? 0 : Linux.FALLOC_FL_KEEP_SIZE;
      if (config.punchHole() && random.nextInt(3) == 0) {
        mode = Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE;
      } else if (config.zeroRange() && random.nextInt(3) == 0) {
        mode = Linux.FALLOC_FL_ZERO_RANGE | (mode & Linux.FALLOC_FL_KEEP_SIZE);
      }
      return new Fallocate(mode, off, len);
    }
    if (roll < 82 && config.seekHoles()) {
      return new Seek(random.nextInt(size + PAGE), random.nextBoolean());
    }
    if (roll < 85 && config.copyRange()) {
      return copy(size);
    }
    if (roll < 88) {
      return new Sync(random.nextBoolean());
    }
    if (roll < 97) {
      return new Reopen(random.nextInt(paths.size()));
    }
    return new CheckAll();
  }

  /** A copy within the file whose source and destination do not overlap (they may not). */
  private Copy copy(int size) {
    long from = size == 0 ? 0 : random.nextInt(size);
    int len = length();
    long to = offset();
    if (to < from + len && from < to + len) {
      to = from + len + random.nextInt(PAGE);
    }
    len = (int) Math.max(1, Math.min(len, config.maxSize() - to));
    if (to + len > config.maxSize() || to < from + len && from < to + len) {
      return new Copy(0, 0, 0);  // no room: a copy of nothing
    }
    return new Copy(from, to, len);
  }

  /** Offsets favour the neighbourhood of 1 MiB boundaries and page edges. */
  private long offset() {
    int max = config.maxSize() - 1;
    return switch (random.nextInt(4)) {
      case 0 -> Math.max(0, Math.min(max, MIB * (1 + random.nextInt(Math.max(1, max / MIB)))
          - random.nextInt(PAGE * 2)));
      case 1 -> Math.min(max, (long) random.nextInt(max / PAGE + 1) * PAGE);
      default -> random.nextInt(max);
    };
  }

  private int length() {
    return switch (random.nextInt(10)) {
      case 0 -> 1 + random.nextInt(300_000);
      case 1, 2 -> 1 + random.nextInt(16);
      default -> 1 + random.nextInt(70_000);
    };
  }

  private void apply(Op op) {
    switch (op) {
      case Write w -> {
        byte[] data = new byte[w.length()];
        new Random(w.dataSeed()).nextBytes(data);
        int n = sys.pwrite(fd, data, w.offset());
        check(n == data.length, "short write: " + n);
        model.write(w.offset(), data);
      }
      case Truncate t -> {
        sys.ftruncate(fd, t.size());
        model.truncate(t.size());
      }
      case Read r -> compare(sys.pread(fd, r.length(), r.offset()), model.read(r.offset(),
          r.length()), r.offset());
      case MapRead m -> compare(sys.mmapRead(fd, m.offset(), m.length()),
          model.read(m.offset(), m.length()), m.offset());
      case Fallocate f -> {
        sys.fallocate(fd, f.mode(), f.offset(), f.length());
        model.fallocate(f.mode(), f.offset(), f.length());
      }
      case Seek s -> checkSeek(s);
      case Copy c -> {
        if (c.length() > 0) {
          long n = sys.copyFileRange(fd, c.from(), fd, c.to(), c.length());
          int expected = model.copy(c.from(), c.to(), c.length());
          check(n == expected, "copy_file_range copied " + n + " bytes, expected " + expected);
        }
      }
      case Sync s -> {
        if (s.dataOnly()) {
          sys.fdatasync(fd);
        } else {
          sys.fsync(fd);
        }
      }
      case Reopen r -> {
        sys.close(fd);
        fd = -1;
        String path = paths.get(r.pathIndex());
        check(sys.stat(path).size() == model.size(),
            "stat size after close " + sys.stat(path).size() + " != model " + model.size());
        fd = sys.open(path, Linux.O_RDWR);
      }
      case CheckAll c -> compare(sys.pread(fd, model.size() + PAGE, 0),
          model.read(0, model.size() + PAGE), 0);
    }
  }

  /**
   * SEEK_DATA and SEEK_HOLE: any answer the model allows. Past the end both fail with ENXIO;
   * what SEEK_DATA skips and the hole SEEK_HOLE finds (up to the next data) read as zeros.
   */
  private void checkSeek(Seek s) {
    int size = model.size();
    Long r = seek(s.offset(), s.data() ? Linux.SEEK_DATA : Linux.SEEK_HOLE);
    if (s.offset() >= size) {
      check(r == null, "lseek at " + s.offset() + " of a " + size + "-byte file found " + r
          + " instead of failing with ENXIO");
      return;
    }
    if (s.data()) {
      long at = r == null ? size : r;
      check(at >= s.offset() && at <= size, "SEEK_DATA from " + s.offset() + " found " + r);
      check(model.zeros(s.offset(), at), "SEEK_DATA from " + s.offset() + " skipped data to " + at);
      return;
    }
    check(r != null && r >= s.offset() && r <= size, "SEEK_HOLE from " + s.offset() + " found " + r);
    if (r < size) {
      Long next = seek(r, Linux.SEEK_DATA);
      long end = next == null ? size : next;
      check(end > r, "SEEK_HOLE found a hole at " + r + " where SEEK_DATA finds data");
      check(model.zeros(r, end), "the hole SEEK_HOLE found at " + r + " up to " + end + " holds data");
    }
  }

  /** lseek's answer, or null for ENXIO. */
  private Long seek(long offset, int whence) {
    try {
      return sys.lseek(fd, offset, whence);
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENXIO) {
        throw e;
      }
      return null;
    }
  }

  private void checkSize(Op op) {
    long actual = sys.fstat(fd).size();
    check(actual == model.size(), "fstat size " + actual + " != model " + model.size());
  }

  private static void compare(byte[] actual, byte[] expected, long base) {
    check(actual.length == expected.length,
        "read " + actual.length + " bytes, expected " + expected.length);
    int at = Arrays.mismatch(actual, expected);
    check(at < 0, "bytes differ at file offset " + (base + at) + ": got " + (at < 0 ? 0
        : actual[at]) + ", expected " + (at < 0 ? 0 : expected[at]));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  private void remember(int index, Op op) {
    history.addLast("#" + index + " " + op + " (size before " + model.size() + ")");
    if (history.size() > config.history()) {
      history.removeFirst();
    }
  }

  private String report(int index, Op op, String what) {
    return "fsx failed at operation #" + index + " of " + config.operations() + ": " + op
        + ": " + what + "\n  seed " + config.seed() + " (rerun with -Dcairn.fsx.seed="
        + config.seed() + "), file " + paths + "\n  last operations:\n    "
        + String.join("\n    ", history);
  }
}
