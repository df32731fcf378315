package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EPERM;
import static io.cairn.fuse.posix.Linux.O_CREAT;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** chmod/chown rules, setuid/setgid clearing, setgid directory inheritance. */
abstract class OwnershipChecks extends CheckBase {
  private static final int ALICE = Identity.ALICE.uid();
  private static final int ALICE_GID = Identity.ALICE.gid();
  private static final int SHARED = Identity.SHARED_GROUP;

  @BeforeEach
  void needsIdentities() {
    assumeRoot();
  }

  private String aliceFile(String name, int mode) {
    writeFile(alice(), p(name), new byte[] {1});
    root.chmod(p(name), mode);
    return p(name);
  }

  @Test
  void onlyTheOwnerOrRootMayChmod() {
    String f = aliceFile("f", 0644);
    expectErrno(EPERM, () -> bob().chmod(f, 0777));
    alice().chmod(f, 0600);
    assertThat(root.stat(f).perm()).isEqualTo(0600);
    root.chmod(f, 04755);
    assertThat(root.stat(f).perm()).isEqualTo(04755);
    int fd = alice().open(f, O_WRONLY);
    alice().fchmod(fd, 0640);
    alice().close(fd);
    assertThat(root.stat(f).perm()).isEqualTo(0640);
  }

  @Test
  void chmodOfAllBitsIsKeptExactly() {
    writeFile(p("f"), new byte[0]);
    for (int mode : new int[] {0, 07777, 01000, 02000, 04000, 0123, 0777, 0444}) {
      root.chmod(p("f"), mode);
      assertThat(root.stat(p("f")).perm()).as("mode %o", mode).isEqualTo(mode);
    }
    root.mkdir(p("d"), 0755);
    root.chmod(p("d"), 07777);
    assertThat(root.stat(p("d")).perm()).isEqualTo(07777);
  }

  @Test
  void setgidOnAFileOfAForeignGroupIsDroppedForNonRoot() {
    String f = aliceFile("f", 0644);
    root.chown(f, ALICE, 0); // group root: alice is not a member
    alice().chmod(f, 02755);
    assertThat(root.stat(f).perm()).isEqualTo(0755);
    root.chown(f, ALICE, SHARED);
    alice().chmod(f, 02755);
    assertThat(root.stat(f).perm()).isEqualTo(02755);
  }

  @Test
  void chownRulesForNonRoot() {
    String f = aliceFile("f", 0644);
    expectErrno(EPERM, () -> alice().chown(f, Identity.BOB.uid(), -1));
    expectErrno(EPERM, () -> alice().chown(f, -1, Identity.CAROL.gid()));
    expectErrno(EPERM, () -> bob().chown(f, -1, SHARED));
    alice().chown(f, -1, SHARED);
    assertThat(root.stat(f).gid()).isEqualTo(SHARED);
    alice().chown(f, ALICE, -1);
    alice().chown(f, -1, -1);
    FileStat st = root.stat(f);
    assertThat(st.uid()).isEqualTo(ALICE);
    assertThat(st.gid()).isEqualTo(SHARED);
    root.chown(f, Identity.CAROL.uid(), Identity.CAROL.gid());
    st = root.stat(f);
    assertThat(st.uid()).isEqualTo(Identity.CAROL.uid());
    assertThat(st.gid()).isEqualTo(Identity.CAROL.gid());
  }

  @Test
  void chownClearsSetuidAndGroupExecutableSetgid() {
    String f = aliceFile("f", 06755);
    alice().chown(f, -1, SHARED);
    assertThat(root.stat(f).perm()).isEqualTo(0755);
    root.chmod(f, 06755);
    root.chown(f, Identity.BOB.uid(), -1);
    assertThat(root.stat(f).perm()).as("Linux clears them for root too").isEqualTo(0755);
    // setgid without group execute marks mandatory locking, not privilege: it stays
    root.chmod(f, 02644);
    root.chown(f, ALICE, -1);
    assertThat(root.stat(f).perm()).isEqualTo(02644);
  }

  @Test
  void writeOrTruncateByAnotherUserClearsSetuid() {
    String f = aliceFile("f", 06777);
    int fd = bob().open(f, O_WRONLY);
    try {
      bob().write(fd, new byte[] {2});
    } finally {
      bob().close(fd);
    }
    assertThat(root.stat(f).perm()).isEqualTo(0777);
    root.chmod(f, 04777);
    bob().truncate(f, 0);
    assertThat(root.stat(f).perm()).isEqualTo(0777);
  }

  @Test
  void setgidDirectoriesHandTheirGroupDown() {
    root.mkdir(p("g"), 0777);
    root.chown(p("g"), 0, SHARED);
    root.chmod(p("g"), 02777);
    alice().close(alice().open(p("g/f"), O_CREAT | O_WRONLY, 0644));
    alice().mkdir(p("g/sub"), 0755);
    FileStat f = root.stat(p("g/f"));
    FileStat sub = root.stat(p("g/sub"));
    assertThat(f.gid()).isEqualTo(SHARED);
    assertThat(f.uid()).isEqualTo(ALICE);
    assertThat(sub.gid()).isEqualTo(SHARED);
    assertThat(sub.perm() & Linux.S_ISGID).as("subdirectory inherits setgid").isNotZero();
    // without setgid the creator's group is used
    root.mkdir(p("plain"), 0777);
    root.chown(p("plain"), 0, SHARED);
    root.chmod(p("plain"), 0777);
    alice().close(alice().open(p("plain/f"), O_CREAT | O_WRONLY, 0644));
    assertThat(root.stat(p("plain/f")).gid()).isEqualTo(ALICE_GID);
  }

  @Test
  void creatingASetgidFileInAForeignGroupDirectoryDropsSetgid() {
    root.mkdir(p("g"), 0777);
    root.chown(p("g"), 0, SHARED);
    root.chmod(p("g"), 02777);
    carol().umask(0);
    try {
      carol().close(carol().open(p("g/f"), O_CREAT | O_WRONLY, 02755));
    } finally {
      carol().umask(022);
    }
    FileStat st = root.stat(p("g/f"));
    assertThat(st.gid()).isEqualTo(SHARED);
    assertThat(st.perm()).isEqualTo(0755);
  }
}
