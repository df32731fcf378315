package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The exerciser's oracle follows POSIX size and hole rules. */
class FileModelTest {
  private record Case(String name, Consumer<FileModel> ops, int size, byte[] content) {}

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  @Test
  void modelFollowsPosixRules() {
    List<Case> cases = List.of(
        new Case("write at 0", m -> m.write(0, b(1, 2)), 2, b(1, 2)),
        new Case("write past end leaves a hole", m -> m.write(3, b(9)), 4, b(0, 0, 0, 9)),
        new Case("overwrite keeps size", m -> {
          m.write(0, b(1, 2, 3));
          m.write(1, b(7));
        }, 3, b(1, 7, 3)),
        new Case("truncate then grow reads zeros", m -> {
          m.write(0, b(1, 2, 3, 4));
          m.truncate(1);
          m.truncate(3);
        }, 3, b(1, 0, 0)),
        new Case("fallocate extends", m -> {
          m.write(0, b(5));
          m.fallocate(0, 0, 3);
        }, 3, b(5, 0, 0)),
        new Case("fallocate inside changes nothing", m -> {
          m.write(0, b(5, 6));
          m.fallocate(0, 0, 1);
        }, 2, b(5, 6)),
        new Case("keep size", m -> {
          m.write(0, b(5));
          m.fallocate(Linux.FALLOC_FL_KEEP_SIZE, 0, 10);
        }, 1, b(5)),
        new Case("punch zeroes inside the size only", m -> {
          m.write(0, b(1, 2, 3, 4));
          m.fallocate(Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, 2, 10);
        }, 4, b(1, 2, 0, 0)),
        new Case("zero range zeroes and grows", m -> {
          m.write(0, b(1, 2, 3));
          m.fallocate(Linux.FALLOC_FL_ZERO_RANGE, 1, 4);
        }, 5, b(1, 0, 0, 0, 0)),
        new Case("zero range keeping the size", m -> {
          m.write(0, b(1, 2, 3));
          m.fallocate(Linux.FALLOC_FL_ZERO_RANGE | Linux.FALLOC_FL_KEEP_SIZE, 2, 4);
        }, 3, b(1, 2, 0)),
        new Case("copy past the end leaves a hole and stops at the source's end", m -> {
          m.write(0, b(1, 2, 3));
          m.copy(1, 5, 10);
        }, 7, b(1, 2, 3, 0, 0, 2, 3)));
    for (Case c : cases) {
      FileModel m = new FileModel();
      c.ops().accept(m);
      assertThat(m.size()).as(c.name()).isEqualTo(c.size());
      assertThat(m.read(0, 100)).as(c.name()).isEqualTo(c.content());
    }
  }

  @Test
  void readsAreShortAtTheEnd() {
    FileModel m = new FileModel();
    m.write(0, b(1, 2, 3));
    assertThat(m.read(2, 10)).isEqualTo(b(3));
    assertThat(m.read(3, 10)).isEmpty();
    assertThat(m.read(50, 10)).isEmpty();
  }
}
