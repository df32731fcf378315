package io.cairn.fuse.posix;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The POSIX suite, pointed at any directory. A target subclasses this and supplies
 * {@link #root()} (and {@link #secondRoot()} when a second client of the same tree exists);
 * every group of checks below then runs there, as root and as the unprivileged identities of
 * {@link Identity} (which need {@code -o allow_other} on a FUSE mount).
 *
 * <p>Each group is its own abstract class; the nested classes only bind it to this target.
 */
public abstract class PosixSuite {

  /** The directory every check works under; must allow root to create directories. */
  protected abstract Path root();

  /** The same tree seen through a second client; {@link #root()} when there is none. */
  protected Path secondRoot() {
    return root();
  }

  final Target target() {
    return new Target(root(), secondRoot());
  }

  @Nested
  class Open extends OpenChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }
}
