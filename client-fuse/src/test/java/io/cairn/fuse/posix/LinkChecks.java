package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Errno.EPERM;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Hard links: counts, and that every name shows a change made through any other name at once
 * (the classic stale-attribute trap of path-based FUSE file systems).
 */
abstract class LinkChecks extends CheckBase {

  @Test
  void linkAddsANameToTheSameInode() {
    writeFile(p("a"), new byte[] {1, 2});
    root.mkdir(p("d"), 0755);
    root.link(p("a"), p("d/b"));
    FileStat a = root.stat(p("a"));
    FileStat b = root.stat(p("d/b"));
    assertThat(b.ino()).isEqualTo(a.ino());
    assertThat(a.nlink()).isEqualTo(2);
    assertThat(b.nlink()).isEqualTo(2);
    root.link(p("d/b"), p("c"));
    assertThat(root.stat(p("a")).nlink()).isEqualTo(3);
    root.unlink(p("a"));
    assertThat(root.stat(p("c")).nlink()).isEqualTo(2);
    root.unlink(p("c"));
    assertThat(root.stat(p("d/b")).nlink()).isEqualTo(1);
    assertThat(readFile(p("d/b"))).containsExactly(1, 2);
  }

  @Test
  void changesThroughOneNameAreSeenThroughTheOtherAtOnce() {
    writeFile(p("a"), new byte[] {1, 2, 3});
    root.link(p("a"), p("b"));
    root.stat(p("b")); // make sure the second name has been looked up (and maybe cached)
    root.chmod(p("a"), 0600);
    assertThat(root.stat(p("b")).perm()).isEqualTo(0600);
    int fd = root.open(p("a"), O_WRONLY);
    root.pwrite(fd, new byte[] {9, 9, 9, 9, 9}, 0);
    root.close(fd);
    assertThat(root.stat(p("b")).size()).isEqualTo(5);
    assertThat(readFile(p("b"))).containsExactly(9, 9, 9, 9, 9);
    root.truncate(p("b"), 2);
    assertThat(root.stat(p("a")).size()).isEqualTo(2);
    root.chown(p("b"), 1000, 3000);
    FileStat a = root.stat(p("a"));
    assertThat(a.uid()).isEqualTo(1000);
    assertThat(a.gid()).isEqualTo(3000);
    root.utimens(p("a"), 1_000_000_000L, 0, 1_000_000_000L, 0, 0);
    assertThat(root.stat(p("b")).mtime()).isEqualTo(1_000_000_000L * 1_000_000_000L);
    root.link(p("a"), p("c"));
    assertThat(root.stat(p("b")).nlink()).isEqualTo(3);
  }

  @Test
  void linkErrors() {
    root.mkdir(p("d"), 0755);
    writeFile(p("f"), new byte[0]);
    writeFile(p("g"), new byte[0]);
    expectErrno(EPERM, () -> root.link(p("d"), p("dlink")));
    expectErrno(EEXIST, () -> root.link(p("f"), p("g")));
    expectErrno(ENOENT, () -> root.link(p("missing"), p("x")));
    expectErrno(ENOENT, () -> root.link(p("f"), p("nodir/x")));
  }

  @Test
  void aLinkToASymlinkLinksTheSymlinkItself() {
    root.symlink("target-name", p("s"));
    root.link(p("s"), p("s2"));
    assertThat(root.lstat(p("s2")).isSymlink()).isTrue();
    assertThat(root.readlink(p("s2"))).isEqualTo("target-name");
    assertThat(root.lstat(p("s")).nlink()).isEqualTo(2);
  }
}
