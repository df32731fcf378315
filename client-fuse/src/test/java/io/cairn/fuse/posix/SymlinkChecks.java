package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.EINVAL;
import static io.cairn.fuse.posix.Errno.ELOOP;
import static io.cairn.fuse.posix.Errno.ENAMETOOLONG;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_NOFOLLOW;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Symbolic links: targets kept byte for byte, following rules, loops. */
abstract class SymlinkChecks extends CheckBase {

  @Test
  void readlinkReturnsTheTargetExactly() {
    String longTarget = "x/".repeat(1500) + "end";
    for (String target : new String[] {"f", "../up/and down", "/abs/olute", "ünï cødé", longTarget}) {
      String name = p("l" + target.length());
      root.symlink(target, name);
      assertThat(root.readlink(name)).isEqualTo(target);
      FileStat st = root.lstat(name);
      assertThat(st.isSymlink()).isTrue();
      assertThat(st.size()).isEqualTo(target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void statFollowsAndLstatDoesNot() {
    writeFile(p("f"), new byte[] {1, 2, 3});
    root.symlink("f", p("l"));
    FileStat viaLink = root.stat(p("l"));
    assertThat(viaLink.isRegular()).isTrue();
    assertThat(viaLink.ino()).isEqualTo(root.stat(p("f")).ino());
    assertThat(viaLink.size()).isEqualTo(3);
    assertThat(root.lstat(p("l")).ino()).isNotEqualTo(viaLink.ino());
    assertThat(readFile(p("l"))).containsExactly(1, 2, 3);
  }

  @Test
  void aDanglingSymlinkExistsButLeadsNowhereUntilCreatedThrough() {
    root.symlink("target", p("l"));
    expectErrno(ENOENT, () -> root.stat(p("l")));
    assertThat(root.lstat(p("l")).isSymlink()).isTrue();
    expectErrno(ENOENT, () -> root.open(p("l"), O_RDONLY));
    // O_CREAT through a dangling link creates its target
    root.close(root.open(p("l"), O_CREAT | O_WRONLY, 0644));
    assertThat(root.lstat(p("target")).isRegular()).isTrue();
  }

  @Test
  void noFollowAndLoopsGiveELOOP() {
    writeFile(p("f"), new byte[0]);
    root.symlink("f", p("l"));
    expectErrno(ELOOP, () -> root.open(p("l"), O_RDONLY | O_NOFOLLOW));
    root.close(root.open(p("f"), O_RDONLY | O_NOFOLLOW));
    root.symlink("loop2", p("loop1"));
    root.symlink("loop1", p("loop2"));
    expectErrno(ELOOP, () -> root.stat(p("loop1")));
    expectErrno(ELOOP, () -> root.open(p("loop1"), O_RDONLY));
    expectErrno(ELOOP, () -> root.open(p("loop1/x"), O_CREAT | O_WRONLY, 0644));
    root.symlink("self", p("self"));
    expectErrno(ELOOP, () -> root.stat(p("self")));
  }

  @Test
  void symlinksToDirectoriesResolveInTheMiddleOfPaths() {
    root.mkdir(p("real"), 0755);
    writeFile(p("real/f"), new byte[] {5});
    root.symlink("real", p("rel"));
    root.symlink(p("real"), p("abs"));
    assertThat(readFile(p("rel/f"))).containsExactly(5);
    assertThat(readFile(p("abs/f"))).containsExactly(5);
    assertThat(root.readdir(p("rel/"))).contains("f");
  }

  @Test
  void symlinkErrors() {
    writeFile(p("f"), new byte[0]);
    expectErrno(EEXIST, () -> root.symlink("x", p("f")));
    expectErrno(EINVAL, () -> root.readlink(p("f")));
    expectErrno(ENOENT, () -> root.readlink(p("missing")));
    expectErrno(ENOENT, () -> root.symlink("x", p("nodir/l")));
    expectErrno(ENAMETOOLONG, () -> root.symlink("y".repeat(4096), p("toolong")));
  }

  @Test
  void lchownChangesTheLinkAndChownTheTarget() {
    assumeRoot();
    writeFile(p("f"), new byte[0]);
    root.symlink("f", p("l"));
    root.lchown(p("l"), Identity.ALICE.uid(), Identity.ALICE.gid());
    assertThat(root.lstat(p("l")).uid()).isEqualTo(Identity.ALICE.uid());
    assertThat(root.stat(p("f")).uid()).isZero();
    root.chown(p("l"), Identity.BOB.uid(), -1);
    assertThat(root.stat(p("f")).uid()).isEqualTo(Identity.BOB.uid());
    assertThat(root.lstat(p("l")).uid()).isEqualTo(Identity.ALICE.uid());
  }
}
