package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.E2BIG;
import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.ENODATA;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Errno.EOPNOTSUPP;
import static io.cairn.fuse.posix.Errno.EPERM;
import static io.cairn.fuse.posix.Errno.ERANGE;
import static io.cairn.fuse.posix.Linux.XATTR_CREATE;
import static io.cairn.fuse.posix.Linux.XATTR_REPLACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** user.* extended attributes: flags, listing, removal, buffer sizes, permissions. */
abstract class XattrChecks extends CheckBase {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void setGetReplaceRemove() {
    writeFile(p("f"), new byte[0]);
    expectErrno(ENODATA, () -> root.getxattr(p("f"), "user.a"));
    root.setxattr(p("f"), "user.a", b("one"), 0);
    assertThat(root.getxattr(p("f"), "user.a")).isEqualTo(b("one"));
    root.setxattr(p("f"), "user.a", b("second value"), 0);
    assertThat(root.getxattr(p("f"), "user.a")).isEqualTo(b("second value"));
    root.setxattr(p("f"), "user.a", b("3"), XATTR_REPLACE);
    assertThat(root.getxattr(p("f"), "user.a")).isEqualTo(b("3"));
    root.removexattr(p("f"), "user.a");
    expectErrno(ENODATA, () -> root.getxattr(p("f"), "user.a"));
    expectErrno(ENODATA, () -> root.removexattr(p("f"), "user.a"));
  }

  @Test
  void createAndReplaceFlags() {
    writeFile(p("f"), new byte[0]);
    expectErrno(ENODATA, () -> root.setxattr(p("f"), "user.x", b("v"), XATTR_REPLACE));
    root.setxattr(p("f"), "user.x", b("v"), XATTR_CREATE);
    expectErrno(EEXIST, () -> root.setxattr(p("f"), "user.x", b("w"), XATTR_CREATE));
    assertThat(root.getxattr(p("f"), "user.x")).isEqualTo(b("v"));
  }

  @Test
  void valuesAreKeptByteForByteIncludingEmptyAndBinary() {
    writeFile(p("f"), new byte[0]);
    byte[] binary = {0, 1, 0, (byte) 255, 0};
    byte[] big = randomBytes(11, 3000);
    root.setxattr(p("f"), "user.empty", new byte[0], 0);
    root.setxattr(p("f"), "user.bin", binary, 0);
    root.setxattr(p("f"), "user.big", big, 0);
    assertThat(root.getxattr(p("f"), "user.empty")).isEmpty();
    assertThat(root.getxattr(p("f"), "user.bin")).isEqualTo(binary);
    assertThat(root.getxattr(p("f"), "user.big")).isEqualTo(big);
    assertThat(root.getxattrSize(p("f"), "user.big")).isEqualTo(3000);
  }

  @Test
  void listShowsEveryNameAndSizesWork() {
    writeFile(p("f"), new byte[0]);
    root.setxattr(p("f"), "user.one", b("1"), 0);
    root.setxattr(p("f"), "user.two", b("22"), 0);
    root.setxattr(p("f"), "user." + "n".repeat(200), b("3"), 0);
    assertThat(root.listxattr(p("f")))
        .contains("user.one", "user.two", "user." + "n".repeat(200))
        .filteredOn(n -> n.startsWith("user.")).hasSize(3);
    long need = root.listxattrSize(p("f"), 0);
    assertThat(need).isGreaterThanOrEqualTo(8 + 8 + 206);
    expectErrno(ERANGE, () -> root.listxattrSize(p("f"), 3));
    expectErrno(ERANGE, () -> root.getxattr(p("f"), "user.two", 1));
    assertThat(root.getxattr(p("f"), "user.two", 2)).isEqualTo(b("22"));
    root.removexattr(p("f"), "user.one");
    assertThat(root.listxattr(p("f"))).doesNotContain("user.one").contains("user.two");
  }

  @Test
  void kernelLimitsOnNamesAndValues() {
    writeFile(p("f"), new byte[0]);
    expectErrno(ERANGE, () -> root.setxattr(p("f"), "user." + "n".repeat(251), b("v"), 0));
    expectErrno(E2BIG, () -> root.setxattr(p("f"), "user.huge", new byte[65537], 0));
    expectErrno(EOPNOTSUPP, () -> root.setxattr(p("f"), "nonamespace.x", b("v"), 0));
    expectErrno(ENOENT, () -> root.setxattr(p("missing"), "user.x", b("v"), 0));
  }

  @Test
  void directoriesCarryXattrsToo() {
    root.mkdir(p("d"), 0755);
    root.setxattr(p("d"), "user.d", b("dir"), 0);
    assertThat(root.getxattr(p("d"), "user.d")).isEqualTo(b("dir"));
    assertThat(root.listxattr(p("d"))).contains("user.d");
  }

  @Test
  void userXattrsFollowTheFilesPermissions() {
    assumeRoot();
    writeFile(alice(), p("f"), new byte[0]);
    alice().chmod(p("f"), 0644);
    alice().setxattr(p("f"), "user.mine", b("a"), 0);
    expectErrno(EACCES, () -> bob().setxattr(p("f"), "user.theirs", b("b"), 0));
    expectErrno(EACCES, () -> bob().removexattr(p("f"), "user.mine"));
    assertThat(bob().getxattr(p("f"), "user.mine")).isEqualTo(b("a"));
    alice().chmod(p("f"), 0600);
    expectErrno(EACCES, () -> carol().getxattr(p("f"), "user.mine"));
    alice().chmod(p("f"), 0666);
    bob().setxattr(p("f"), "user.theirs", b("b"), 0);
    assertThat(root.getxattr(p("f"), "user.theirs")).isEqualTo(b("b"));
    // trusted.* is for CAP_SYS_ADMIN only
    expectErrnoIn(() -> alice().setxattr(p("f"), "trusted.x", b("t"), 0), EPERM, EOPNOTSUPP);
  }
}
