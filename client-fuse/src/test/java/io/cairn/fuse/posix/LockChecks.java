package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EAGAIN;
import static io.cairn.fuse.posix.Linux.F_RDLCK;
import static io.cairn.fuse.posix.Linux.F_UNLCK;
import static io.cairn.fuse.posix.Linux.F_WRLCK;
import static io.cairn.fuse.posix.Linux.LOCK_EX;
import static io.cairn.fuse.posix.Linux.LOCK_NB;
import static io.cairn.fuse.posix.Linux.LOCK_SH;
import static io.cairn.fuse.posix.Linux.LOCK_UN;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** flock and fcntl record locks conflict between two processes as specified. */
abstract class LockChecks extends CheckBase {
  private Sys other;

  @BeforeEach
  void secondProcess() {
    assumeRoot();
    other = Actors.as(Identity.ROOT2);
    writeFile(p("f"), new byte[1000]);
  }

  @Test
  void flockExclusiveExcludesAndSharedShares() {
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p("f"), O_RDWR);
    try {
      root.flock(mine, LOCK_EX);
      expectErrno(EAGAIN, () -> other.flock(theirs, LOCK_EX | LOCK_NB));
      expectErrno(EAGAIN, () -> other.flock(theirs, LOCK_SH | LOCK_NB));
      root.flock(mine, LOCK_SH); // downgrade
      other.flock(theirs, LOCK_SH | LOCK_NB);
      expectErrno(EAGAIN, () -> root.flock(mine, LOCK_EX | LOCK_NB));
      other.flock(theirs, LOCK_UN);
      root.flock(mine, LOCK_EX | LOCK_NB);
      root.flock(mine, LOCK_UN);
      other.flock(theirs, LOCK_EX | LOCK_NB);
    } finally {
      root.close(mine);
      other.close(theirs);
    }
  }

  @Test
  void closingTheDescriptorReleasesAFlock() {
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p("f"), O_RDWR);
    try {
      root.flock(mine, LOCK_EX);
      expectErrno(EAGAIN, () -> other.flock(theirs, LOCK_EX | LOCK_NB));
      root.close(mine);
      other.flock(theirs, LOCK_EX | LOCK_NB);
    } finally {
      other.close(theirs);
    }
  }

  /**
   * As above, allowing for a FUSE file system, which hears of the last close of an open file
   * (RELEASE, which carries the flock's release) only after close() has returned.
   */
  @Test
  void closingTheDescriptorReleasesAFlockAMomentLater() {
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p("f"), O_RDWR);
    try {
      root.flock(mine, LOCK_EX);
      root.close(mine);
      flockOnceReleased(other, theirs, LOCK_EX);
    } finally {
      other.close(theirs);
    }
  }

  @Test
  void recordLocksConflictOnlyWhereRangesOverlap() {
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p("f"), O_RDWR);
    try {
      root.setlk(mine, F_WRLCK, 0, 100);
      expectErrnoIn(() -> other.setlk(theirs, F_WRLCK, 50, 10), EAGAIN, EACCES);
      expectErrnoIn(() -> other.setlk(theirs, F_RDLCK, 99, 1), EAGAIN, EACCES);
      other.setlk(theirs, F_WRLCK, 100, 10);
      LockInfo held = other.getlk(theirs, F_WRLCK, 0, 10);
      assertThat(held.type()).isEqualTo(F_WRLCK);
      assertThat(held.pid()).isEqualTo(root.getpid());
      assertThat(held.start()).isZero();
      assertThat(held.len()).isEqualTo(100);
      LockInfo free = other.getlk(theirs, F_WRLCK, 200, 10);
      assertThat(free.type()).isEqualTo(F_UNLCK);
      root.setlk(mine, F_UNLCK, 0, 50);
      other.setlk(theirs, F_WRLCK, 0, 50);
      expectErrnoIn(() -> other.setlk(theirs, F_WRLCK, 50, 1), EAGAIN, EACCES);
    } finally {
      root.close(mine);
      other.close(theirs);
    }
  }

  @Test
  void readLocksShareAndBlockWriters() {
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p("f"), O_RDWR);
    try {
      root.setlk(mine, F_RDLCK, 0, 0); // len 0: to the end of the file and beyond
      other.setlk(theirs, F_RDLCK, 10, 10);
      expectErrnoIn(() -> other.setlk(theirs, F_WRLCK, 5000, 1), EAGAIN, EACCES);
      LockInfo blocker = other.getlk(theirs, F_WRLCK, 5000, 1);
      assertThat(blocker.type()).isEqualTo(F_RDLCK);
      assertThat(blocker.pid()).isEqualTo(root.getpid());
    } finally {
      root.close(mine);
      other.close(theirs);
    }
  }

  @Test
  void closingAnyDescriptorOfTheFileDropsTheProcessesRecordLocks() {
    int mine = root.open(p("f"), O_RDWR);
    int mine2 = root.open(p("f"), O_RDWR);
    int theirs = other.open(p("f"), O_RDWR);
    try {
      root.setlk(mine, F_WRLCK, 0, 10);
      expectErrnoIn(() -> other.setlk(theirs, F_WRLCK, 0, 10), EAGAIN, EACCES);
      root.close(mine2); // POSIX: drops every lock this process holds on the file
      other.setlk(theirs, F_WRLCK, 0, 10);
    } finally {
      root.close(mine);
      other.close(theirs);
    }
  }
}
