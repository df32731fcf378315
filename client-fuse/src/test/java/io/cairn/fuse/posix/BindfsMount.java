package io.cairn.fuse.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A bindfs (FUSE passthrough) mount of a local directory, for checking the suite against a
 * FUSE file system whose semantics are the local one's. Mounted as root with allow_other so
 * the unprivileged identities can use it.
 */
final class BindfsMount implements AutoCloseable {
  private final Path mountPoint;

  private BindfsMount(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/bindfs")) && Files.exists(Path.of("/dev/fuse"));
  }

  /**
   * Mounts {@code source} on {@code mountPoint}. Kernel caches are off (entry/attr/negative
   * timeouts 0) as they are meant to be for the Cairn mount, so a second mount of the same
   * source behaves as a second client with close-to-open consistency.
   */
  static BindfsMount mount(Path source, Path mountPoint, String... extraOptions) {
    List<String> opts = new ArrayList<>(List.of("allow_other", "entry_timeout=0",
        "attr_timeout=0", "negative_timeout=0"));
    opts.addAll(List.of(extraOptions));
    run(List.of("bindfs", "-o", String.join(",", opts), source.toString(),
        mountPoint.toString()));
    BindfsMount m = new BindfsMount(mountPoint);
    Awaitility.await("bindfs mounted on " + mountPoint).atMost(Duration.ofSeconds(20))
        .until(m::mounted);
    return m;
  }

  Path path() {
    return mountPoint;
  }

  boolean mounted() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && f[4].equals(mountPoint.toString())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    // a just-closed file may keep the mount busy for a moment: retry until it lets go
    try {
      Awaitility.await("unmount " + mountPoint).atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !mounted()
              || exitCode(List.of("fusermount", "-u", mountPoint.toString())) == 0);
    } catch (org.awaitility.core.ConditionTimeoutException busy) {
      // never leave a mount behind: detach it lazily, then report the leak
      exitCode(List.of("fusermount", "-u", "-z", mountPoint.toString()));
      throw new IllegalStateException(mountPoint + " stayed busy (a file or mapping left open?)",
          busy);
    }
  }

  private static void run(List<String> cmd) {
    int code = exitCode(cmd);
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + code);
    }
  }

  private static int exitCode(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0) {
        System.err.println(String.join(" ", cmd) + ": " + out);
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
