package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** readdir returns every entry exactly once, with '.' and '..'. */
abstract class ReaddirChecks extends CheckBase {

  @Test
  void anEmptyDirectoryHasOnlyDotAndDotDot() {
    root.mkdir(p("e"), 0755);
    assertThat(root.readdir(p("e"))).containsExactlyInAnyOrder(".", "..");
  }

  @Test
  void twoThousandEntriesAreAllListedOnce() {
    Set<String> expected = new HashSet<>(Set.of(".", ".."));
    for (int i = 0; i < 2000; i++) {
      String n = "entry-" + i + (i % 7 == 0 ? "-" + "x".repeat(150) : "");
      if (i % 10 == 0) {
        root.mkdir(p(n), 0755);
      } else {
        root.close(root.open(p(n), Linux.O_CREAT | Linux.O_WRONLY, 0644));
      }
      expected.add(n);
    }
    List<String> listed = root.readdir(dir);
    assertThat(listed).doesNotHaveDuplicates();
    assertThat(new HashSet<>(listed)).isEqualTo(expected);
    for (int i = 1; i < 2000; i += 2) {
      String n = "entry-" + i + (i % 7 == 0 ? "-" + "x".repeat(150) : "");
      root.unlink(p(n));
      expected.remove(n);
    }
    listed = root.readdir(dir);
    assertThat(listed).doesNotHaveDuplicates();
    assertThat(new HashSet<>(listed)).isEqualTo(expected);
    assertThat(root.stat(dir).nlink()).isEqualTo(2 + 200);
  }

  @Test
  void renamesAndDeletesShowUpInTheNextListing() {
    root.close(root.open(p("a"), Linux.O_CREAT | Linux.O_WRONLY, 0644));
    assertThat(root.readdir(dir)).contains("a");
    root.rename(p("a"), p("b"));
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..", "b");
    root.unlink(p("b"));
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..");
  }
}
