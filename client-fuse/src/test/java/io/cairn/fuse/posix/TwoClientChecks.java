package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EAGAIN;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Linux.F_RDLCK;
import static io.cairn.fuse.posix.Linux.F_UNLCK;
import static io.cairn.fuse.posix.Linux.F_WRLCK;
import static io.cairn.fuse.posix.Linux.LOCK_EX;
import static io.cairn.fuse.posix.Linux.LOCK_NB;
import static io.cairn.fuse.posix.Linux.LOCK_SH;
import static io.cairn.fuse.posix.Linux.LOCK_UN;
import static io.cairn.fuse.posix.Linux.O_RDWR;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clients of one tree (the target's second root): close-to-open consistency for data, and
 * namespace changes seen by the next call on the other client.
 */
abstract class TwoClientChecks extends CheckBase {

  @BeforeEach
  void needsTwoClients() {
    assumeTrue(target().hasSecondClient(), "the target has only one client");
  }

  @Test
  void dataClosedOnOneClientIsReadByTheNextOpenOnTheOther() {
    byte[] v1 = randomBytes(31, 300_000);
    writeFile(p("f"), v1);
    assertBytes(readFile(p2("f")), v1);
    byte[] v2 = randomBytes(32, 100_000);
    writeFile(p("f"), v2); // O_TRUNC rewrite, shorter
    assertBytes(readFile(p2("f")), v2);
    int fd = root.open(p2("f"), O_WRONLY);
    root.pwrite(fd, new byte[] {1, 2, 3}, 200_000);
    root.close(fd);
    byte[] seen = readFile(p("f"));
    assertThat(seen).hasSize(200_003);
    assertThat(java.util.Arrays.copyOfRange(seen, 200_000, 200_003)).containsExactly(1, 2, 3);
  }

  @Test
  void fsyncPublishesWithoutClose() {
    int fd = root.open(p("f"), Linux.O_CREAT | O_WRONLY, 0644);
    try {
      root.write(fd, new byte[] {4, 5, 6});
      root.fsync(fd);
      int r = root.open(p2("f"), O_RDONLY);
      assertThat(root.read(r, 10)).containsExactly(4, 5, 6);
      root.close(r);
    } finally {
      root.close(fd);
    }
  }

  /** Exclusive creates racing on two clients: exactly one wins each name. */
  @Test
  void exclusiveCreateAndMkdirRacesHaveOneWinner() throws Exception {
    int names = 100;
    int[][] wins = new int[2][names];
    Thread[] threads = new Thread[2];
    for (int c = 0; c < 2; c++) {
      int client = c;
      threads[c] = new Thread(() -> {
        for (int i = 0; i < names; i++) {
          String f = client == 0 ? p("f" + i) : p2("f" + i);
          String d = client == 0 ? p("d" + i) : p2("d" + i);
          if (outcome(() -> root.close(root.open(f, Linux.O_CREAT | Linux.O_EXCL | O_WRONLY,
              0644))) == null) {
            wins[client][i]++;
          }
          if (outcome(() -> root.mkdir(d, 0755)) == null) {
            wins[client][i]++;
          }
        }
      });
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int i = 0; i < names; i++) {
      assertThat(wins[0][i] + wins[1][i]).as("winners of f%d and d%d", i, i).isEqualTo(2);
    }
    assertThat(root.readdir(dir)).hasSize(2 * names + 2);
  }

  @Test
  void namespaceChangesAreSeenByTheOtherClient() {
    writeFile(p("a"), new byte[] {1});
    assertThat(root.stat(p2("a")).size()).isEqualTo(1);
    root.rename(p("a"), p("b"));
    expectErrno(ENOENT, () -> root.stat(p2("a")));
    assertThat(root.readdir(p2(""))).contains("b").doesNotContain("a");
    root.chmod(p("b"), 0600);
    assertThat(root.stat(p2("b")).perm()).isEqualTo(0600);
    root.link(p("b"), p("c"));
    assertThat(root.stat(p2("b")).nlink()).isEqualTo(2);
    root.unlink(p2("b"));
    expectErrno(ENOENT, () -> root.open(p("b"), O_RDONLY));
    assertThat(root.stat(p("c")).nlink()).isEqualTo(1);
    root.mkdir(p2("d"), 0755);
    assertThat(root.stat(p("d")).isDir()).isTrue();
    root.setxattr(p2("c"), "user.k", new byte[] {7}, 0);
    assertThat(root.getxattr(p("c"), "user.k")).containsExactly(7);
  }

  /** Record locks and flocks taken through one client hold against a process on the other. */
  @Test
  void locksHoldAcrossClients() {
    assumeRoot();
    Sys other = Actors.as(Identity.ROOT2);
    writeFile(p("f"), new byte[100]);
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p2("f"), O_RDWR);
    boolean closed = false;
    try {
      root.setlk(mine, F_WRLCK, 0, 10);
      expectErrnoIn(() -> other.setlk(theirs, F_WRLCK, 5, 1), EAGAIN, EACCES);
      expectErrnoIn(() -> other.setlk(theirs, F_RDLCK, 0, 0), EAGAIN, EACCES);
      LockInfo held = other.getlk(theirs, F_RDLCK, 0, 100);
      assertThat(held.type()).isEqualTo(F_WRLCK);
      assertThat(held.start()).isZero();
      assertThat(held.len()).isEqualTo(10);
      assertThat(other.getlk(theirs, F_WRLCK, 10, 90).type()).isEqualTo(F_UNLCK);
      other.setlk(theirs, F_WRLCK, 10, 10);
      expectErrnoIn(() -> root.setlk(mine, F_RDLCK, 15, 1), EAGAIN, EACCES);

      root.flock(mine, LOCK_EX);
      expectErrno(EAGAIN, () -> other.flock(theirs, LOCK_SH | LOCK_NB));
      root.flock(mine, LOCK_SH);
      other.flock(theirs, LOCK_SH | LOCK_NB);
      expectErrno(EAGAIN, () -> root.flock(mine, LOCK_EX | LOCK_NB));
      other.flock(theirs, LOCK_UN);
      root.flock(mine, LOCK_EX | LOCK_NB);

      root.close(mine); // drops this process's record locks and the flock of the open file
      closed = true;
      other.setlk(theirs, F_WRLCK, 0, 10);
      flockOnceReleased(other, theirs, LOCK_EX);
    } finally {
      if (!closed) {
        root.close(mine);
      }
      other.close(theirs);
    }
  }

  /** A lock that has to wait (F_SETLKW) on one client is granted when the other client lets go. */
  @Test
  void aWaitingLockIsGrantedWhenTheOtherClientReleases() throws Exception {
    assumeRoot();
    Sys other = Actors.as(Identity.ROOT2);
    writeFile(p("f"), new byte[10]);
    int mine = root.open(p("f"), O_RDWR);
    int theirs = other.open(p2("f"), O_RDWR);
    // Its own thread: a blocked task in the common pool (one thread on two cores) would starve
    // whatever else in this JVM uses that pool, the in-process meta servers' Raft among them.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      root.setlk(mine, F_WRLCK, 0, 0);
      java.util.concurrent.Future<?> waiter = pool.submit(() -> other.setlkw(theirs, F_WRLCK, 0, 0));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> waiter.get(300, java.util.concurrent.TimeUnit.MILLISECONDS))
          .as("waits while the lock is held").isInstanceOf(java.util.concurrent.TimeoutException.class);
      root.setlk(mine, F_UNLCK, 0, 0);
      waiter.get(30, java.util.concurrent.TimeUnit.SECONDS);
      expectErrnoIn(() -> root.setlk(mine, F_RDLCK, 0, 1), EAGAIN, EACCES);
    } finally {
      pool.shutdownNow();
      root.close(mine);
      other.close(theirs);
    }
  }

  /**
   * Two processes, one on each client, each keep the file open with O_APPEND and append records
   * under an exclusive flock: every record arrives once, whole, and each writer's in order.
   */
  @Test
  void appendsUnderALockFromBothClientsLoseNothing() throws Exception {
    assumeRoot();
    Sys other = Actors.as(Identity.ROOT2);
    writeFile(p("log"), new byte[0]);
    int rounds = 40;
    java.util.List<Throwable> failed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread[] writers = new Thread[2];
    for (int w = 0; w < 2; w++) {
      Sys who = w == 0 ? root : other;
      String path = w == 0 ? p("log") : p2("log");
      char tag = (char) ('a' + w);
      writers[w] = new Thread(() -> {
        try {
          int fd = who.open(path, O_WRONLY | Linux.O_APPEND);
          try {
            for (int i = 0; i < rounds; i++) {
              who.flock(fd, LOCK_EX);
              who.write(fd, String.format("%c%03d\n", tag, i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              who.flock(fd, LOCK_UN);
            }
          } finally {
            who.close(fd);
          }
        } catch (Throwable e) {
          failed.add(e);
        }
      });
      writers[w].start();
    }
    for (Thread t : writers) {
      t.join();
    }
    assertThat(failed).isEmpty();
    for (String path : new String[] {p("log"), p2("log")}) {
      String[] records = new String(readFile(path), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
      assertThat(records).as("records seen through %s", path).hasSize(2 * rounds);
      for (char tag : new char[] {'a', 'b'}) {
        java.util.List<String> mine = java.util.Arrays.stream(records).filter(r -> r.charAt(0) == tag).toList();
        java.util.List<String> expected = java.util.stream.IntStream.range(0, rounds)
            .mapToObj(i -> String.format("%c%03d", tag, i)).toList();
        assertThat(mine).as("records of writer %c through %s", tag, path).isEqualTo(expected);
      }
    }
  }
}
