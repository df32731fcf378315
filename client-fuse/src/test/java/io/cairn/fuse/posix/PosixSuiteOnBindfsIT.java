package io.cairn.fuse.posix;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The POSIX suite against two bindfs mounts of one local directory: a FUSE reference, with the
 * second mount standing in for a second client.
 */
class PosixSuiteOnBindfsIT extends PosixSuite {
  private static Path base;
  private static BindfsMount first;
  private static BindfsMount second;

  @BeforeAll
  static void mount() throws IOException {
    assumeTrue(BindfsMount.available(), "bindfs and /dev/fuse are needed");
    base = Files.createTempDirectory("cairn-posix-bindfs-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path source = Files.createDirectory(base.resolve("source"));
    Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-xr-x"));
    first = BindfsMount.mount(source, Files.createDirectory(base.resolve("mnt1")));
    second = BindfsMount.mount(source, Files.createDirectory(base.resolve("mnt2")));
  }

  @AfterAll
  static void unmount() {
    try {
      if (second != null) {
        second.close();
      }
    } finally {
      if (first != null) {
        first.close();
      }
      if (base != null) {
        CheckBase.removeTree(base);
      }
    }
  }

  /** What bindfs (1.14 on libfuse 2) is known to get wrong, and why. */
  @Override
  protected Map<String, String> knownDeviations() {
    String noRename2 = "libfuse 2 has no renameat2 flags, so the kernel answers EINVAL";
    String noFallocate = "bindfs 1.14 does not implement fallocate: EOPNOTSUPP";
    String hidden = "libfuse's path-based API keeps an unlinked open file as .fuse_hiddenNNN in "
        + "its directory until the last close (hard_remove avoids that but breaks I/O on it)";
    String localLocks = "bindfs does not implement locks, so each mount's kernel keeps its own: "
        + "a lock taken through one mount is not seen through the other";
    return Map.ofEntries(
        Map.entry("TwoClientChecks.locksHoldAcrossClients", localLocks),
        Map.entry("TwoClientChecks.aWaitingLockIsGrantedWhenTheOtherClientReleases", localLocks),
        Map.entry("UnlinkChecks.anUnlinkedOpenFileLeavesNoNameBehind", hidden),
        Map.entry("StressNgChecks.fileSystemStressorsRunCleanAndAllDoWork", hidden
            + ": a stressor that unlinks a file it just closed and then removes the directory "
            + "(touch, rename, mmap) now and then gets ENOTEMPTY, when the release comes late"),
        Map.entry("UnlinkChecks.renamingOverAnOpenFileKeepsItReadable", hidden),
        Map.entry("UnlinkChecks.anOpenFileKeepsWorkingAfterItsLastNameIsGone", hidden
            + ", which the kernel's asynchronous release may reach after close() returns"),
        Map.entry("RenameChecks.noReplaceRefusesAnExistingTarget", noRename2),
        Map.entry("RenameChecks.exchangeSwapsTwoNamesEvenOfDifferentTypes", noRename2),
        Map.entry("RenameChecks.replacingByRenameIsAtomicForAConcurrentReader",
            "libfuse's path-based API: a reader that looked up the old file and opens it after "
                + "the rename finds its node without a path and gets ENOENT"),
        Map.entry("TimeChecks.omitKeepsAndNowSetsEachTimeIndependently",
            "libfuse 2's high-level setattr drops a utimensat that sets only one of atime and "
                + "mtime (touch -m) and still reports success"),
        Map.entry("FallocateChecks.modeZeroGrowsTheFileWithZerosAndKeepsData", noFallocate),
        Map.entry("FallocateChecks.keepSizeDoesNotChangeTheSize", noFallocate),
        Map.entry("NameChecks.pathsLongerThanPathMaxWorkRelativeToADirectory",
            "bindfs passes full paths to the backing directory's syscalls, which refuse them "
                + "past PATH_MAX (ENAMETOOLONG)"));
  }

  @Override
  protected Map<String, String> droppedStressors() {
    String noFallocate = "bindfs 1.14 does not implement fallocate";
    return Map.of("fallocate", noFallocate, "fpunch", noFallocate);
  }

  @Override
  protected Path root() {
    return first.path();
  }

  @Override
  protected Path secondRoot() {
    return second.path();
  }
}
