package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EBADF;
import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.EISDIR;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Errno.ENOTDIR;
import static io.cairn.fuse.posix.Linux.O_APPEND;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_DIRECTORY;
import static io.cairn.fuse.posix.Linux.O_EXCL;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static io.cairn.fuse.posix.Linux.O_TRUNC;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** open/creat flag semantics and the permission checks open makes. */
abstract class OpenChecks extends CheckBase {

  @Test
  void creatMakesAnEmptyRegularFileOwnedByTheCallerWithModeMinusUmask() {
    int fd = root.open(p("f"), O_CREAT | O_WRONLY, 0666);
    root.close(fd);
    FileStat st = root.stat(p("f"));
    assertThat(st.isRegular()).isTrue();
    assertThat(st.perm()).isEqualTo(0644);
    assertThat(st.size()).isZero();
    assertThat(st.nlink()).isEqualTo(1);
    assertThat(st.uid()).isZero();
  }

  @Test
  void creatByAnUnprivilegedUserIsOwnedByThatUser() {
    assumeRoot();
    alice().close(alice().open(p("a"), O_CREAT | O_WRONLY, 0640));
    FileStat st = root.stat(p("a"));
    assertThat(st.uid()).isEqualTo(Identity.ALICE.uid());
    assertThat(st.gid()).isEqualTo(Identity.ALICE.gid());
    assertThat(st.perm()).isEqualTo(0640);
  }

  @Test
  void exclusiveCreateFailsOnAnyExistingName() {
    writeFile(p("f"), new byte[0]);
    root.mkdir(p("d"), 0755);
    root.symlink("nowhere", p("dangling"));
    for (String name : List.of("f", "d", "dangling")) {
      expectErrno(EEXIST, () -> root.open(p(name), O_CREAT | O_EXCL | O_WRONLY, 0644));
    }
    assertThat(root.lstat(p("dangling")).isSymlink()).isTrue();
    expectErrno(ENOENT, () -> root.stat(p("nowhere")));
  }

  @Test
  void exclusiveCreateOfANewNameSucceedsOnce() {
    root.close(root.open(p("x"), O_CREAT | O_EXCL | O_WRONLY, 0644));
    expectErrno(EEXIST, () -> root.open(p("x"), O_CREAT | O_EXCL | O_RDWR, 0644));
  }

  @Test
  void missingNamesAndParents() {
    expectErrno(ENOENT, () -> root.open(p("missing"), O_RDONLY));
    expectErrno(ENOENT, () -> root.open(p("nodir/f"), O_CREAT | O_WRONLY, 0644));
  }

  @Test
  void aFileUsedAsADirectoryIsENOTDIR() {
    writeFile(p("f"), new byte[0]);
    expectErrno(ENOTDIR, () -> root.open(p("f/x"), O_RDONLY));
    expectErrno(ENOTDIR, () -> root.open(p("f/x"), O_CREAT | O_WRONLY, 0644));
    expectErrno(ENOTDIR, () -> root.open(p("f"), O_RDONLY | O_DIRECTORY));
    expectErrno(ENOTDIR, () -> root.stat(p("f/")));
  }

  @Test
  void directoriesOpenOnlyForReading() {
    root.mkdir(p("d"), 0755);
    root.close(root.open(p("d"), O_RDONLY));
    root.close(root.open(p("d"), O_RDONLY | O_DIRECTORY));
    expectErrno(EISDIR, () -> root.open(p("d"), O_WRONLY));
    expectErrno(EISDIR, () -> root.open(p("d"), O_RDWR));
    expectErrno(EISDIR, () -> root.open(p("d"), O_CREAT | O_WRONLY, 0644));
  }

  @Test
  void truncOnOpenEmptiesTheFile() {
    writeFile(p("f"), "hello world".getBytes(StandardCharsets.UTF_8));
    root.close(root.open(p("f"), O_WRONLY | O_TRUNC));
    assertThat(root.stat(p("f")).size()).isZero();
    assertThat(readFile(p("f"))).isEmpty();
  }

  @Test
  void appendAlwaysWritesAtTheEndWhateverTheOffset() {
    writeFile(p("f"), "abc".getBytes(StandardCharsets.UTF_8));
    int fd = root.open(p("f"), O_WRONLY | O_APPEND);
    root.lseek(fd, 0, Linux.SEEK_SET);
    root.write(fd, "de".getBytes(StandardCharsets.UTF_8));
    // another writer extends the file; the appender must land after it
    int other = root.open(p("f"), O_WRONLY);
    root.pwrite(other, "XYZ".getBytes(StandardCharsets.UTF_8), 5);
    root.close(other);
    root.lseek(fd, 1, Linux.SEEK_SET);
    root.write(fd, "f".getBytes(StandardCharsets.UTF_8));
    root.close(fd);
    assertThat(new String(readFile(p("f")), StandardCharsets.UTF_8)).isEqualTo("abcdeXYZf");
  }

  @Test
  void readOnlyAndWriteOnlyDescriptorsRefuseTheOtherDirection() {
    writeFile(p("f"), "data".getBytes(StandardCharsets.UTF_8));
    int ro = root.open(p("f"), O_RDONLY);
    int wo = root.open(p("f"), O_WRONLY);
    try {
      expectErrno(EBADF, () -> root.write(ro, new byte[] {1}));
      expectErrno(EBADF, () -> root.read(wo, 1));
    } finally {
      root.close(ro);
      root.close(wo);
    }
  }

  /** Owner, group and other classes: the first class that matches decides, even to deny. */
  @Test
  void modeBitsDecideWhoMayOpen() {
    assumeRoot();
    record Row(int mode, Identity who, int flags, Errno expected) {}
    Identity a = Identity.ALICE;
    Identity b = Identity.BOB;
    Identity c = Identity.CAROL;
    List<Row> rows = List.of(
        new Row(0600, a, O_RDONLY, null), new Row(0600, a, O_RDWR, null),
        new Row(0600, b, O_RDONLY, EACCES), new Row(0600, c, O_WRONLY, EACCES),
        new Row(0400, a, O_WRONLY, EACCES), new Row(0200, a, O_RDONLY, EACCES),
        new Row(0200, a, O_WRONLY, null),
        new Row(0060, a, O_RDONLY, EACCES), new Row(0060, b, O_RDWR, null),
        new Row(0060, c, O_RDONLY, EACCES),
        new Row(0006, a, O_RDONLY, EACCES), new Row(0006, b, O_RDONLY, EACCES),
        new Row(0006, c, O_RDWR, null),
        new Row(0044, b, O_WRONLY, EACCES), new Row(0044, c, O_RDONLY, null),
        new Row(0000, Identity.ROOT2, O_RDWR, null));
    List<String> failures = new ArrayList<>();
    int i = 0;
    for (Row r : rows) {
      String f = p("f" + i++);
      writeFile(f, new byte[] {7});
      root.chown(f, a.uid(), Identity.SHARED_GROUP);
      root.chmod(f, r.mode());
      Sys who = Actors.as(r.who());
      Errno got = outcome(() -> who.close(who.open(f, r.flags())));
      if (got != r.expected()) {
        failures.add(r + " got " + got);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void creatingNeedsWriteAndSearchOnTheDirectory() {
    assumeRoot();
    root.mkdir(p("ro"), 0755);
    root.chown(p("ro"), Identity.ALICE.uid(), Identity.ALICE.gid());
    root.chmod(p("ro"), 0555);
    expectErrno(EACCES, () -> alice().open(p("ro/f"), O_CREAT | O_WRONLY, 0644));
    // root ignores the mode bits of the directory
    root.close(root.open(p("ro/f"), O_CREAT | O_WRONLY, 0644));
    root.chmod(p("ro/f"), 0644);
    root.chmod(p("ro"), 0666);
    expectErrno(EACCES, () -> alice().open(p("ro/f"), O_RDONLY));
    root.chmod(p("ro"), 0711);
    alice().close(alice().open(p("ro/f"), O_RDONLY));
  }
}
