package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** statvfs reports a coherent file system: df and installers rely on it. */
abstract class StatvfsChecks extends CheckBase {

  @Test
  void statvfsIsCoherent() {
    FsStat fs = root.statvfs(dir);
    assertThat(fs.bsize()).isPositive();
    assertThat(fs.frsize()).isPositive();
    assertThat(fs.blocks()).isPositive();
    assertThat(fs.bfree()).isBetween(0L, fs.blocks());
    assertThat(fs.bavail()).isBetween(0L, fs.bfree());
    assertThat(fs.ffree()).isLessThanOrEqualTo(fs.files());
    assertThat(fs.namemax()).isGreaterThanOrEqualTo(255);
    // a few MiB must fit
    assertThat(fs.bavail() * fs.frsize()).isGreaterThan(16L << 20);
  }

  /** Tools size their names by f_namemax (stress-ng's filename stressor does): it must be true. */
  @Test
  void namemaxIsTheLongestNameAccepted() {
    long max = root.statvfs(dir).namemax();
    assertThat(max).isBetween(255L, 1024L);
    String longest = "m".repeat((int) max);
    root.close(root.open(p(longest), Linux.O_CREAT | Linux.O_WRONLY, 0644));
    expectErrno(Errno.ENAMETOOLONG,
        () -> root.open(p(longest + "m"), Linux.O_CREAT | Linux.O_WRONLY, 0644));
  }

  @Test
  void statvfsAgreesOnEveryPathOfTheFileSystem() {
    root.mkdir(p("d"), 0755);
    writeFile(p("d/f"), new byte[1]);
    FsStat a = root.statvfs(dir);
    FsStat b = root.statvfs(p("d/f"));
    assertThat(b.bsize()).isEqualTo(a.bsize());
    assertThat(b.blocks()).isEqualTo(a.blocks());
    assertThat(b.namemax()).isEqualTo(a.namemax());
  }
}
