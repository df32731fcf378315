package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EISDIR;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Errno.ENOTDIR;
import static io.cairn.fuse.posix.Errno.EPERM;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** unlink, including files still open, and sticky directories. */
abstract class UnlinkChecks extends CheckBase {

  @Test
  void unlinkRemovesTheName() {
    writeFile(p("f"), new byte[] {1});
    root.unlink(p("f"));
    expectErrno(ENOENT, () -> root.stat(p("f")));
    assertThat(root.readdir(dir)).doesNotContain("f");
  }

  @Test
  void anOpenFileKeepsWorkingAfterItsLastNameIsGone() {
    int fd = root.open(p("f"), O_CREAT | O_RDWR, 0644);
    try {
      root.write(fd, new byte[] {1, 2, 3});
      root.unlink(p("f"));
      assertThat(root.fstat(fd).nlink()).isZero();
      root.pwrite(fd, new byte[] {4}, 3);
      assertThat(root.pread(fd, 10, 0)).containsExactly(1, 2, 3, 4);
      assertThat(root.fstat(fd).size()).isEqualTo(4);
      // a new file under the same name is a different file
      writeFile(p("f"), new byte[] {9});
      assertThat(root.pread(fd, 10, 0)).containsExactly(1, 2, 3, 4);
    } finally {
      root.close(fd);
    }
    assertThat(readFile(p("f"))).containsExactly(9);
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..", "f");
  }

  /** POSIX: the name is gone at once, so the directory is empty and removable. */
  @Test
  void anUnlinkedOpenFileLeavesNoNameBehind() {
    root.mkdir(p("d"), 0755);
    int fd = root.open(p("d/f"), O_CREAT | O_RDWR, 0644);
    try {
      root.write(fd, new byte[] {1});
      root.unlink(p("d/f"));
      assertThat(root.readdir(p("d"))).containsExactlyInAnyOrder(".", "..");
      root.rmdir(p("d"));
      assertThat(root.pread(fd, 10, 0)).containsExactly(1);
    } finally {
      root.close(fd);
    }
  }

  @Test
  void renamingOverAnOpenFileKeepsItReadable() {
    writeFile(p("victim"), new byte[] {1, 2});
    writeFile(p("new"), new byte[] {3});
    int fd = root.open(p("victim"), Linux.O_RDONLY);
    try {
      root.rename(p("new"), p("victim"));
      assertThat(root.pread(fd, 10, 0)).containsExactly(1, 2);
      assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..", "victim");
    } finally {
      root.close(fd);
    }
  }

  @Test
  void unlinkErrors() {
    root.mkdir(p("d"), 0755);
    writeFile(p("f"), new byte[0]);
    // Linux answers EISDIR; POSIX also allows EPERM
    expectErrnoIn(() -> root.unlink(p("d")), EISDIR, EPERM);
    expectErrno(ENOENT, () -> root.unlink(p("missing")));
    expectErrno(ENOTDIR, () -> root.unlink(p("f/x")));
    expectErrno(ENOENT, () -> root.unlink(p("missing/x")));
  }

  @Test
  void unlinkingASymlinkLeavesItsTarget() {
    writeFile(p("f"), new byte[] {1});
    root.symlink("f", p("l"));
    root.unlink(p("l"));
    assertThat(readFile(p("f"))).containsExactly(1);
  }

  @Test
  void unprivilegedUnlinkNeedsWriteOnTheDirectoryNotTheFile() {
    assumeRoot();
    root.mkdir(p("d"), 0755);
    root.chown(p("d"), Identity.ALICE.uid(), Identity.ALICE.gid());
    writeFile(p("d/rootfile"), new byte[0]);
    root.chmod(p("d/rootfile"), 0400);
    expectErrno(EACCES, () -> bob().unlink(p("d/rootfile")));
    alice().unlink(p("d/rootfile"));
    writeFile(p("d/x"), new byte[0]);
    root.chmod(p("d"), 0555);
    expectErrno(EACCES, () -> alice().unlink(p("d/x")));
  }

  /** Sticky (+t) directory: only the file's owner, the directory's owner or root may remove. */
  @Test
  void stickyDirectoriesProtectOtherUsersFiles() {
    assumeRoot();
    root.mkdir(p("tmp"), 0777);
    root.chown(p("tmp"), Identity.CAROL.uid(), Identity.CAROL.gid());
    root.chmod(p("tmp"), 01777);
    for (String n : new String[] {"a1", "a2", "a3", "a4"}) {
      writeFile(alice(), p("tmp/" + n), new byte[] {1});
      alice().chmod(p("tmp/" + n), 0666);
    }
    writeFile(bob(), p("tmp/b"), new byte[] {2});
    expectErrno(EPERM, () -> bob().unlink(p("tmp/a1")));
    expectErrno(EPERM, () -> bob().rename(p("tmp/a1"), p("tmp/mine")));
    expectErrno(EPERM, () -> bob().rename(p("tmp/b"), p("tmp/a1")));
    alice().mkdir(p("tmp/adir"), 0777);
    expectErrno(EPERM, () -> bob().rmdir(p("tmp/adir")));
    assertThat(readFile(p("tmp/a1"))).containsExactly(1);
    // writable is not enough, but ownership of the file or of the directory is
    alice().unlink(p("tmp/a1"));
    carol().unlink(p("tmp/a2"));
    carol().rmdir(p("tmp/adir"));
    root.unlink(p("tmp/a3"));
    bob().unlink(p("tmp/b"));
    assertThat(root.readdir(p("tmp"))).containsExactlyInAnyOrder(".", "..", "a4");
  }
}
