package io.cairn.fuse.posix;

import io.cairn.fuse.MountFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The POSIX suite against a real Cairn mount: an in-process cluster (3 meta servers, 3 storage
 * nodes, replica 3) mounted twice, the second mount being the second client.
 *
 * <p>stress-ng's file-system stressors run here too (about 2 minutes on 2 cores);
 * {@code -Dcairn.posix.stressng=false} leaves them out for a quicker run.
 */
class PosixSuiteOnCairnIT extends PosixSuite {
  private static final boolean STRESS_NG =
      Boolean.parseBoolean(System.getProperty("cairn.posix.stressng", "true"));
  private static MountFixture fixture;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void mount() throws IOException {
    fixture = MountFixture.start(3, 3);
    first = fixture.root();
    second = fixture.mountAnother();
  }

  @AfterAll
  static void unmount() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Override
  protected Path root() {
    return first;
  }

  @Override
  protected Path secondRoot() {
    return second;
  }

  /**
   * Two kinds of entry. The first is inherent to FUSE (a flock's release travels with RELEASE,
   * after close() returns). The second group are defects this suite found in the mount; each
   * entry should go as it is fixed (a listed check that passes is printed as such). renameat2's
   * flags, missing while the mount was bound to libfuse 2, pass since it speaks the kernel's
   * protocol itself (RENAME2).
   */
  @Override
  protected Map<String, String> knownDeviations() {
    return Map.ofEntries(
        // FUSE
        Map.entry("LockChecks.closingTheDescriptorReleasesAFlock",
            "FUSE sends RELEASE, which carries the flock's release, after close() returns: the "
                + "lock goes a moment later (closingTheDescriptorReleasesAFlockAMomentLater)"),
        // defects found in the mount
        Map.entry("RenameChecks.replacingByRenameIsAtomicForAConcurrentReader",
            "an open of a file replaced between the kernel's lookup and the open answers ESTALE and "
                + "the kernel retries once with a fresh lookup; replaced again before the retry (rare: "
                + "one open in some thousands under load), the open fails with ESTALE"),
        Map.entry("NameChecks.namesThatAreNotUtf8RoundTrip",
            "names are UTF-8 text in the meta service: a name that is not UTF-8 is refused (EINVAL)"),
        Map.entry("TwoClientChecks.namespaceChangesAreSeenByTheOtherClient",
            "after client 2 unlinks a name, client 1 still opens it (stale name cache)"),
        Map.entry("ExerciserChecks.randomOperationsMatchTheModelAcrossTwoClients",
            "after truncates and a close on client 1, client 2's stat shows an older, larger "
                + "size (seed 11491461187800 fails at op #29)"));
  }

  /** Stressors this mount cannot run, and why. */
  @Override
  protected Map<String, String> droppedStressors() {
    Map<String, String> dropped = new java.util.HashMap<>();
    dropped.put("xattr", "one bogo op fills a file with 4,096 xattrs (it stops early only at ENOSPC, "
        + "which ext4 under bindfs answers after about 100), replaces each three times, reads each "
        + "four times and removes them all: some 20,000 replicated metadata commits, 209 s for the "
        + "first bogo op on 2 cores (--xattr-ops 1, clean with --verify); XattrChecks cover xattrs");
    if (!STRESS_NG) {
      for (Stressor s : Stressor.FILE_SYSTEM) {
        dropped.putIfAbsent(s.name(), "-Dcairn.posix.stressng=false");
      }
    }
    return dropped;
  }
}
