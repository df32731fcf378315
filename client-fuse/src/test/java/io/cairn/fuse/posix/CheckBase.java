package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Common ground of every group of checks: a fresh world-writable directory per test under the
 * target's root, the calling identities (root in this JVM, alice/bob/carol in child JVMs) and
 * errno assertions. A group is an abstract class; {@link PosixSuite} binds it to a target.
 */
@ExtendWith(KnownDeviations.class)
abstract class CheckBase {
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** This JVM: root when the suite runs as root (CI does). */
  protected final Sys root = NativeSys.INSTANCE;
  /** Absolute path of this test's own directory, mode 0777, owned by root. */
  protected String dir;

  protected abstract Target target();

  @BeforeEach
  void makeOwnDirectory(TestInfo info) {
    root.umask(022);
    String name = info.getTestClass().map(Class::getSimpleName).orElse("t") + "-"
        + info.getTestMethod().map(m -> m.getName()).orElse("m") + "-" + SEQ.incrementAndGet();
    dir = target().root().resolve(name).toString();
    root.mkdir(dir, 0777);
    root.chmod(dir, 0777);
  }

  @AfterEach
  void removeOwnDirectory() {
    removeTree(Path.of(dir));
  }

  /**
   * Removes a tree, waiting (with a deadline) for names that come and go on their own: a FUSE
   * file system built on libfuse's path API parks unlinked open files as .fuse_hidden* until
   * the kernel's asynchronous release reaches it.
   */
  static void removeTree(Path top) {
    Awaitility.await("remove " + top).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(() -> tryRemoveTree(top));
  }

  private static boolean tryRemoveTree(Path top) {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (var walk = Files.walk(top)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cleaning " + top, e);
    }
  }

  /** A path inside this test's directory. */
  protected String p(String relative) {
    return dir + "/" + relative;
  }

  /** The same path as the second client sees it. */
  protected String p2(String relative) {
    Path rel = target().root().relativize(Path.of(dir));
    return target().secondRoot().resolve(rel).resolve(relative).toString();
  }

  protected static Sys alice() {
    return Actors.as(Identity.ALICE);
  }

  protected static Sys bob() {
    return Actors.as(Identity.BOB);
  }

  protected static Sys carol() {
    return Actors.as(Identity.CAROL);
  }

  /** Checks that change identity need this JVM to be root (setpriv) — CI is. */
  protected void assumeRoot() {
    assumeTrue(root.geteuid() == 0, "needs root to start unprivileged children");
  }

  protected static void expectErrno(Errno expected, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(ErrnoException.class)
        .satisfies(e -> assertThat(((ErrnoException) e).errno())
            .as("errno of %s", e.getMessage()).isEqualTo(expected));
  }

  protected static void expectErrnoIn(ThrowingCallable call, Errno... allowed) {
    assertThatThrownBy(call).isInstanceOf(ErrnoException.class)
        .satisfies(e -> assertThat(((ErrnoException) e).errno())
            .as("errno of %s", e.getMessage()).isIn((Object[]) allowed));
  }

  /** The errno a call fails with, or null when it succeeds: for tables of outcomes. */
  protected static Errno outcome(Runnable call) {
    try {
      call.run();
      return null;
    } catch (ErrnoException e) {
      return e.errno();
    }
  }

  /**
   * flock(fd, op | LOCK_NB) by {@code who}, asked again for up to 5 s while another holder has
   * it: a lock that goes with the last close of an open file reaches a FUSE file system only
   * with RELEASE, which the kernel sends after close() has returned.
   */
  protected static void flockOnceReleased(Sys who, int fd, int op) {
    org.awaitility.Awaitility.await("flock granted once the other holder's release arrives")
        .atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> outcome(() -> who.flock(fd, op | Linux.LOCK_NB)) == null);
  }

  /** Creates (or truncates) a file with the given bytes through {@code who}. */
  protected static void writeFile(Sys who, String path, byte[] data) {
    int fd = who.open(path, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC, 0644);
    try {
      int done = 0;
      while (done < data.length) {
        byte[] piece = Arrays.copyOfRange(data, done, Math.min(data.length, done + (1 << 20)));
        done += who.write(fd, piece);
      }
    } finally {
      who.close(fd);
    }
  }

  protected void writeFile(String path, byte[] data) {
    writeFile(root, path, data);
  }

  protected static byte[] readFile(Sys who, String path) {
    int fd = who.open(path, Linux.O_RDONLY);
    try {
      byte[] all = new byte[0];
      while (true) {
        byte[] piece = who.read(fd, 1 << 20);
        if (piece.length == 0) {
          return all;
        }
        byte[] grown = Arrays.copyOf(all, all.length + piece.length);
        System.arraycopy(piece, 0, grown, all.length, piece.length);
        all = grown;
      }
    } finally {
      who.close(fd);
    }
  }

  protected byte[] readFile(String path) {
    return readFile(root, path);
  }

  protected static byte[] randomBytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static void assertBytes(byte[] actual, byte[] expected) {
    assertThat(actual.length).as("length").isEqualTo(expected.length);
    int mismatch = Arrays.mismatch(actual, expected);
    assertThat(mismatch).as("first differing offset").isEqualTo(-1);
  }
}
