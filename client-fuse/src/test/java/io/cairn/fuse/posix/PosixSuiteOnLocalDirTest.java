package io.cairn.fuse.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The POSIX suite against a plain local directory: the reference the suite is checked by. */
class PosixSuiteOnLocalDirTest extends PosixSuite {
  private static Path dir;

  @BeforeAll
  static void makeRoot() throws IOException {
    dir = Files.createTempDirectory("cairn-posix-local-");
    // other uids must be able to reach the per-test directories
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void removeRoot() {
    CheckBase.removeTree(dir);
  }

  @Override
  protected Path root() {
    return dir;
  }
}
