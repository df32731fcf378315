package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EPERM;
import static io.cairn.fuse.posix.Linux.AT_SYMLINK_NOFOLLOW;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_TRUNC;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static io.cairn.fuse.posix.Linux.UTIME_NOW;
import static io.cairn.fuse.posix.Linux.UTIME_OMIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** utimensat semantics and permissions, and which operations move mtime and ctime. */
abstract class TimeChecks extends CheckBase {
  private static final long OLD_SEC = 1_000_000_000L; // 2001-09-09
  private static final long NS = 1_000_000_000L;

  @Test
  void explicitTimesAreStoredToTheNanosecond() {
    writeFile(p("f"), new byte[0]);
    root.utimens(p("f"), OLD_SEC, 123_456_789, OLD_SEC + 10, 987_654_321, 0);
    FileStat st = root.stat(p("f"));
    assertThat(st.atime()).isEqualTo(OLD_SEC * NS + 123_456_789);
    assertThat(st.mtime()).isEqualTo((OLD_SEC + 10) * NS + 987_654_321);
  }

  @Test
  void omitKeepsAndNowSetsEachTimeIndependently() {
    writeFile(p("f"), new byte[0]);
    root.utimens(p("f"), OLD_SEC, 0, OLD_SEC, 0, 0);
    root.utimens(p("f"), 0, UTIME_OMIT, OLD_SEC + 5, 0, 0);
    FileStat st = root.stat(p("f"));
    assertThat(st.atime()).isEqualTo(OLD_SEC * NS);
    assertThat(st.mtime()).isEqualTo((OLD_SEC + 5) * NS);
    root.utimens(p("f"), 0, UTIME_NOW, 0, UTIME_OMIT, 0);
    st = root.stat(p("f"));
    assertThat(st.atime()).isGreaterThan((OLD_SEC + 100) * NS);
    assertThat(st.mtime()).isEqualTo((OLD_SEC + 5) * NS);
    root.utimensNow(p("f"));
    assertThat(root.stat(p("f")).mtime()).isGreaterThan((OLD_SEC + 100) * NS);
  }

  @Test
  void noFollowSetsTheTimesOfTheLinkItself() {
    writeFile(p("f"), new byte[0]);
    root.utimens(p("f"), OLD_SEC, 0, OLD_SEC, 0, 0);
    root.symlink("f", p("l"));
    root.utimens(p("l"), OLD_SEC + 7, 0, OLD_SEC + 7, 0, AT_SYMLINK_NOFOLLOW);
    assertThat(root.lstat(p("l")).mtime()).isEqualTo((OLD_SEC + 7) * NS);
    assertThat(root.stat(p("f")).mtime()).isEqualTo(OLD_SEC * NS);
  }

  /** Anyone with write access may touch to "now"; only the owner (or root) may pick times. */
  @Test
  void whoMaySetWhichTimes() {
    assumeRoot();
    writeFile(alice(), p("open"), new byte[0]);
    alice().chmod(p("open"), 0666);
    writeFile(alice(), p("closed"), new byte[0]);
    alice().chmod(p("closed"), 0644);
    bob().utimensNow(p("open"));
    bob().utimens(p("open"), 0, UTIME_NOW, 0, UTIME_NOW, 0);
    expectErrno(EPERM, () -> bob().utimens(p("open"), OLD_SEC, 0, OLD_SEC, 0, 0));
    expectErrno(EPERM, () -> bob().utimens(p("open"), 0, UTIME_NOW, OLD_SEC, 0, 0));
    expectErrno(EACCES, () -> bob().utimensNow(p("closed")));
    expectErrno(EPERM, () -> bob().utimens(p("closed"), OLD_SEC, 0, OLD_SEC, 0, 0));
    alice().utimens(p("closed"), OLD_SEC, 0, OLD_SEC, 0, 0);
    root.utimens(p("open"), OLD_SEC, 0, OLD_SEC, 0, 0);
    assertThat(root.stat(p("open")).mtime()).isEqualTo(OLD_SEC * NS);
  }

  private record Case(String name, Consumer<TimeChecks> setup, Consumer<TimeChecks> op,
      String observed, boolean mtimeMoves, boolean ctimeMoves) {}

  private static final List<Case> CASES = List.of(
      new Case("write", t -> t.file("f"), t -> t.pwrite("f"), "f", true, true),
      new Case("truncate", t -> t.file("f"), t -> t.root.truncate(t.p("f"), 1), "f", true, true),
      new Case("open O_TRUNC", t -> t.file("f"),
          t -> t.root.close(t.root.open(t.p("f"), O_WRONLY | O_TRUNC)), "f", true, true),
      new Case("chmod", t -> t.file("f"), t -> t.root.chmod(t.p("f"), 0600), "f", false, true),
      new Case("chown", t -> t.file("f"), t -> t.root.chown(t.p("f"), 1000, 1000), "f", false,
          true),
      new Case("setxattr", t -> t.file("f"),
          t -> t.root.setxattr(t.p("f"), "user.t", new byte[] {1}, 0), "f", false, true),
      new Case("read", t -> t.file("f"), t -> t.readFile(t.p("f")), "f", false, false),
      new Case("link: file", t -> t.file("f"), t -> t.root.link(t.p("f"), t.p("g")), "f", false,
          true),
      new Case("rename: the file", t -> t.file("f"), t -> t.root.rename(t.p("f"), t.p("g")),
          "g", false, true),
      new Case("unlink: other link", t -> {
        t.file("f");
        t.root.link(t.p("f"), t.p("g"));
      }, t -> t.root.unlink(t.p("f")), "g", false, true),
      new Case("create: parent", t -> t.root.mkdir(t.p("d"), 0755),
          t -> t.root.close(t.root.open(t.p("d/f"), O_CREAT | O_WRONLY, 0644)), "d", true, true),
      new Case("mkdir: parent", t -> t.root.mkdir(t.p("d"), 0755),
          t -> t.root.mkdir(t.p("d/s"), 0755), "d", true, true),
      new Case("rmdir: parent", t -> {
        t.root.mkdir(t.p("d"), 0755);
        t.root.mkdir(t.p("d/s"), 0755);
      }, t -> t.root.rmdir(t.p("d/s")), "d", true, true),
      new Case("unlink: parent", t -> {
        t.root.mkdir(t.p("d"), 0755);
        t.file("d/f");
      }, t -> t.root.unlink(t.p("d/f")), "d", true, true),
      new Case("symlink: parent", t -> t.root.mkdir(t.p("d"), 0755),
          t -> t.root.symlink("x", t.p("d/l")), "d", true, true),
      new Case("link: parent", t -> {
        t.root.mkdir(t.p("d"), 0755);
        t.file("f");
      }, t -> t.root.link(t.p("f"), t.p("d/g")), "d", true, true),
      new Case("rename: source parent", t -> {
        t.root.mkdir(t.p("d1"), 0755);
        t.root.mkdir(t.p("d2"), 0755);
        t.file("d1/f");
      }, t -> t.root.rename(t.p("d1/f"), t.p("d2/f")), "d1", true, true),
      new Case("rename: target parent", t -> {
        t.root.mkdir(t.p("d1"), 0755);
        t.root.mkdir(t.p("d2"), 0755);
        t.file("d1/f");
      }, t -> t.root.rename(t.p("d1/f"), t.p("d2/f")), "d2", true, true),
      new Case("readdir", t -> {
        t.root.mkdir(t.p("d"), 0755);
        t.file("d/f");
      }, t -> t.root.readdir(t.p("d")), "d", false, false));

  @Test
  void eachOperationMovesTheRightTimestamps() {
    List<String> failures = new ArrayList<>();
    int i = 0;
    String top = dir;
    for (Case c : CASES) {
      dir = top + "/case" + i++;
      root.mkdir(dir, 0755);
      c.setup().accept(this);
      String obs = p(c.observed());
      // the op under test may not touch the watched name's mtime by accident: start it old
      String watched = c.name().startsWith("rename: the file") ? p("f") : obs;
      root.utimens(watched, OLD_SEC, 0, OLD_SEC, 0, 0);
      long ctimeBefore = root.stat(watched).ctime();
      awaitClockPast(ctimeBefore);
      c.op().accept(this);
      FileStat after = root.stat(obs);
      boolean mMoved = after.mtime() != OLD_SEC * NS;
      boolean cMoved = after.ctime() != ctimeBefore;
      if (mMoved != c.mtimeMoves() || cMoved != c.ctimeMoves()) {
        failures.add(c.name() + ": mtime moved " + mMoved + ", ctime moved " + cMoved);
      }
      if (cMoved && after.ctime() < ctimeBefore) {
        failures.add(c.name() + ": ctime went backwards");
      }
    }
    dir = top;
    assertThat(failures).isEmpty();
  }

  /** Waits (polling, with a deadline) until the file system's clock is past {@code nanos}. */
  private void awaitClockPast(long nanos) {
    String probe = dir + "/.clock-probe";
    root.close(root.open(probe, O_CREAT | O_WRONLY, 0644));
    Awaitility.await("file system clock passes " + nanos).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(2))
        .until(() -> {
          root.utimensNow(probe);
          return root.stat(probe).mtime() > nanos;
        });
    root.unlink(probe);
  }

  private void file(String name) {
    writeFile(p(name), new byte[] {1, 2, 3});
  }

  private void pwrite(String name) {
    int fd = root.open(p(name), O_WRONLY);
    root.pwrite(fd, new byte[] {9}, 1);
    root.close(fd);
  }

  @Test
  void readingDoesNotMoveMtimeThroughAnOpenDescriptor() {
    writeFile(p("f"), new byte[] {1});
    root.utimens(p("f"), OLD_SEC, 0, OLD_SEC, 0, 0);
    int fd = root.open(p("f"), O_RDONLY);
    root.read(fd, 10);
    root.close(fd);
    assertThat(root.stat(p("f")).mtime()).isEqualTo(OLD_SEC * NS);
  }
}
