package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EINVAL;
import static io.cairn.fuse.posix.Errno.ENAMETOOLONG;
import static io.cairn.fuse.posix.Linux.AT_REMOVEDIR;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_DIRECTORY;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Name length limits, unusual characters, and paths deeper than PATH_MAX. */
abstract class NameChecks extends CheckBase {

  @Test
  void namesOf255BytesWorkEverywhere() {
    String a = "a".repeat(255);
    String b = "b".repeat(254) + "Z";
    // 85 three-byte characters: 255 bytes, 85 chars
    String utf = "€".repeat(85);
    assertThat(utf.getBytes(StandardCharsets.UTF_8)).hasSize(255);
    writeFile(p(a), new byte[] {1});
    root.rename(p(a), p(b));
    root.link(p(b), p(utf));
    root.mkdir(p(a), 0755);
    root.symlink("../" + b, p(a + "/" + b));
    assertThat(readFile(p(a + "/" + b))).containsExactly(1);
    assertThat(root.readdir(dir)).contains(a, b, utf);
    assertThat(root.stat(p(utf)).nlink()).isEqualTo(2);
  }

  @Test
  void namesOf256BytesAreENAMETOOLONGForEveryCall() {
    String longName = "n".repeat(256);
    String utf = "€".repeat(85) + "x";
    writeFile(p("f"), new byte[0]);
    for (String n : List.of(longName, utf)) {
      expectErrno(ENAMETOOLONG, () -> root.open(p(n), O_CREAT | O_WRONLY, 0644));
      expectErrno(ENAMETOOLONG, () -> root.mkdir(p(n), 0755));
      expectErrno(ENAMETOOLONG, () -> root.stat(p(n)));
      expectErrno(ENAMETOOLONG, () -> root.rename(p("f"), p(n)));
      expectErrno(ENAMETOOLONG, () -> root.link(p("f"), p(n)));
      expectErrno(ENAMETOOLONG, () -> root.symlink("f", p(n)));
      expectErrno(ENAMETOOLONG, () -> root.unlink(p(n)));
    }
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..", "f");
  }

  @Test
  void unusualCharactersRoundTrip() {
    List<String> names = List.of(" lead and trail ", "new\nline", "tab\there", "back\\slash",
        "colon:star*?", "-dash", "..dots..", ".hidden", "日本語のファイル", "emoji-😀",
        "quote'\"", "%percent%", "semi;colon", "x".repeat(100) + "€");
    for (String n : names) {
      writeFile(p(n), n.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(root.readdir(dir)).containsAll(names);
    for (String n : names) {
      assertThat(new String(readFile(p(n)), StandardCharsets.UTF_8)).isEqualTo(n);
    }
  }

  /**
   * Distinct names are distinct files: a file system that cannot keep a name may refuse it
   * (EINVAL), but never store it as another name (the Cairn mount once decoded every byte that
   * is not UTF-8 as U+FFFD, so creating 0x81 after 0x80 gave EEXIST and readdir showed neither).
   */
  @Test
  void distinctNamesNeverNameOneFile() {
    byte[][] names = {{(byte) 0x80}, {(byte) 0x81}, {'a', (byte) 0xff}, {'a', (byte) 0xfe},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
    int dfd = root.open(dir, O_RDONLY | O_DIRECTORY);
    try {
      List<String> made = new ArrayList<>();
      for (byte[] n : names) {
        try {
          root.createRaw(dfd, n);
          made.add(java.util.HexFormat.of().formatHex(n));
        } catch (ErrnoException e) {
          assertThat(e.errno()).as("creating the name %s", java.util.HexFormat.of().formatHex(n))
              .isEqualTo(EINVAL);
        }
      }
      List<String> listed = root.readdirRaw(dir).stream()
          .map(java.util.HexFormat.of()::formatHex).toList();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(
          java.util.stream.Stream.concat(java.util.stream.Stream.of("2e", "2e2e"), made.stream())
              .toList());
    } finally {
      root.close(dfd);
    }
  }

  /** Names are bytes: anything but '/' and NUL, valid UTF-8 or not, must round-trip. */
  @Test
  void namesThatAreNotUtf8RoundTrip() {
    byte[][] names = {{(byte) 0x80}, {(byte) 0xff}, {'a', (byte) 0xc3, '(', 'z'},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {1, 2, 0x1f, 0x7f}};
    int dfd = root.open(dir, O_RDONLY | O_DIRECTORY);
    try {
      for (byte[] n : names) {
        root.createRaw(dfd, n);
      }
      List<String> listed = root.readdirRaw(dir).stream()
          .map(java.util.HexFormat.of()::formatHex).toList();
      for (byte[] n : names) {
        assertThat(listed).contains(java.util.HexFormat.of().formatHex(n));
        root.unlinkRaw(dfd, n);
      }
      assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..");
    } finally {
      root.close(dfd);
    }
  }

  /**
   * A tree deeper than PATH_MAX: reachable step by step through directory descriptors (what a
   * process does after chdir), refused as one absolute path.
   */
  @Test
  void pathsLongerThanPathMaxWorkRelativeToADirectory() {
    String seg = "d".repeat(200);
    int depth = 24; // ~4,800 bytes below dir
    List<Integer> fds = new ArrayList<>();
    int cur = root.open(dir, O_RDONLY | O_DIRECTORY);
    fds.add(cur);
    StringBuilder abs = new StringBuilder(dir);
    try {
      for (int i = 0; i < depth; i++) {
        root.mkdirat(cur, seg, 0755);
        cur = root.openat(cur, seg, O_RDONLY | O_DIRECTORY, 0);
        fds.add(cur);
        abs.append('/').append(seg);
      }
      int f = root.openat(cur, "leaf", O_CREAT | O_RDWR, 0644);
      root.write(f, new byte[] {4, 2});
      root.close(f);
      assertThat(root.fstatat(cur, "leaf", 0).size()).isEqualTo(2);
      assertThat(abs.length()).isGreaterThan(4096);
      String tooLong = abs + "/leaf";
      expectErrno(ENAMETOOLONG, () -> root.stat(tooLong));
      // a relative path below PATH_MAX from a middle directory still works
      int mid = fds.get(depth / 2);
      String rel = (seg + "/").repeat(depth - depth / 2) + "leaf";
      assertThat(rel.length()).isLessThan(4096);
      assertThat(root.fstatat(mid, rel, 0).size()).isEqualTo(2);
      // and an absolute path just under PATH_MAX works too
      String near = abs.substring(0, abs.lastIndexOf("/" + seg, 4000));
      assertThat(root.stat(near).isDir()).isTrue();
    } finally {
      // tear down bottom-up through the descriptors (the absolute paths are too long);
      // best effort, so a failure above is the one reported
      outcome(() -> root.unlinkat(fds.get(fds.size() - 1), "leaf", 0));
      for (int i = fds.size() - 1; i >= 1; i--) {
        root.close(fds.get(i));
        int parent = fds.get(i - 1);
        outcome(() -> root.unlinkat(parent, seg, AT_REMOVEDIR));
      }
      root.close(fds.get(0));
    }
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..");
  }
}
