package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.EINVAL;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Errno.ENOTDIR;
import static io.cairn.fuse.posix.Errno.ENOTEMPTY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** mkdir and rmdir, with the link counts of directories. */
abstract class DirectoryChecks extends CheckBase {

  @Test
  void mkdirMakesADirectoryWithTwoLinksAndBumpsTheParent() {
    long parentLinks = root.stat(dir).nlink();
    root.mkdir(p("d"), 0777);
    FileStat st = root.stat(p("d"));
    assertThat(st.isDir()).isTrue();
    assertThat(st.perm()).isEqualTo(0755);
    assertThat(st.nlink()).isEqualTo(2);
    assertThat(root.stat(dir).nlink()).isEqualTo(parentLinks + 1);
    root.mkdir(p("d/e"), 0700);
    assertThat(root.stat(p("d")).nlink()).isEqualTo(3);
    assertThat(root.stat(p("d/e/..")).ino()).isEqualTo(st.ino());
    root.rmdir(p("d/e"));
    assertThat(root.stat(p("d")).nlink()).isEqualTo(2);
    root.rmdir(p("d"));
    assertThat(root.stat(dir).nlink()).isEqualTo(parentLinks);
    expectErrno(ENOENT, () -> root.stat(p("d")));
  }

  @Test
  void mkdirOverAnyExistingNameIsEEXIST() {
    root.mkdir(p("d"), 0755);
    writeFile(p("f"), new byte[0]);
    root.symlink("nowhere", p("l"));
    expectErrno(EEXIST, () -> root.mkdir(p("d"), 0755));
    expectErrno(EEXIST, () -> root.mkdir(p("f"), 0755));
    expectErrno(EEXIST, () -> root.mkdir(p("l"), 0755));
  }

  @Test
  void mkdirWithAMissingOrNonDirectoryParent() {
    writeFile(p("f"), new byte[0]);
    expectErrno(ENOENT, () -> root.mkdir(p("no/d"), 0755));
    expectErrno(ENOTDIR, () -> root.mkdir(p("f/d"), 0755));
  }

  @Test
  void rmdirErrors() {
    root.mkdir(p("full"), 0755);
    writeFile(p("full/x"), new byte[0]);
    writeFile(p("f"), new byte[0]);
    root.mkdir(p("empty"), 0755);
    expectErrno(ENOTEMPTY, () -> root.rmdir(p("full")));
    expectErrno(ENOENT, () -> root.rmdir(p("missing")));
    expectErrno(ENOTDIR, () -> root.rmdir(p("f")));
    expectErrno(ENOTDIR, () -> root.rmdir(p("f/x")));
    expectErrno(EINVAL, () -> root.rmdir(p("empty/.")));
    root.rmdir(p("empty"));
    root.symlink("full", p("link"));
    expectErrno(ENOTDIR, () -> root.rmdir(p("link")));
  }

  @Test
  void anEmptyDirectoryWithASubdirectoryRemovedIsEmptyAgain() {
    root.mkdir(p("d"), 0755);
    root.mkdir(p("d/s"), 0755);
    writeFile(p("d/s/f"), new byte[1]);
    root.unlink(p("d/s/f"));
    root.rmdir(p("d/s"));
    root.rmdir(p("d"));
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..");
  }

  @Test
  void listingNeedsReadAndLookupNeedsSearchPermission() {
    assumeRoot();
    root.mkdir(p("noread"), 0755);
    writeFile(p("noread/f"), new byte[] {1});
    root.chmod(p("noread"), 0311);
    expectErrno(EACCES, () -> alice().readdir(p("noread")));
    assertThat(readFile(alice(), p("noread/f"))).containsExactly(1);
    root.chmod(p("noread"), 0744);
    assertThat(alice().readdir(p("noread"))).contains("f");
    expectErrno(EACCES, () -> alice().stat(p("noread/f")));
  }

  @Test
  void unprivilegedMkdirAndRmdirNeedWriteOnTheParent() {
    assumeRoot();
    root.mkdir(p("ro"), 0555);
    root.chown(p("ro"), Identity.ALICE.uid(), Identity.ALICE.gid());
    root.mkdir(p("ro/sub"), 0755);
    expectErrno(EACCES, () -> alice().mkdir(p("ro/new"), 0755));
    expectErrno(EACCES, () -> alice().rmdir(p("ro/sub")));
    root.chmod(p("ro"), 0755);
    alice().mkdir(p("ro/new"), 0755);
    assertThat(root.stat(p("ro/new")).uid()).isEqualTo(Identity.ALICE.uid());
    alice().rmdir(p("ro/sub"));
  }
}
