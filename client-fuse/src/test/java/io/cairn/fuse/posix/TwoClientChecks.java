package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.ENOENT;
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
}
