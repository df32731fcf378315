package io.cairn.fuse.posix;

import java.nio.file.Path;
import java.util.Map;
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

  /**
   * Checks this target is known to fail, as "CheckClass.method" → why. They still run; their
   * failure is reported as skipped with the reason. Empty by default: a real target should
   * need none, and every entry needs a reason a reader can verify.
   */
  protected Map<String, String> knownDeviations() {
    return Map.of();
  }

  /**
   * stress-ng stressors (of {@link Stressor#FILE_SYSTEM}) this target cannot apply, name → why
   * (e.g. a call the file system does not offer). Empty by default.
   */
  protected Map<String, String> droppedStressors() {
    return Map.of();
  }

  final Target target() {
    return new Target(root(), secondRoot(), knownDeviations(), droppedStressors());
  }

  @Nested
  class Open extends OpenChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class ReadWrite extends ReadWriteChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Directories extends DirectoryChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Unlink extends UnlinkChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Rename extends RenameChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class HardLinks extends LinkChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Symlinks extends SymlinkChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Ownership extends OwnershipChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Access extends AccessChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Times extends TimeChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Names extends NameChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Readdir extends ReaddirChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class SpecialFiles extends SpecialFileChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Statvfs extends StatvfsChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Xattrs extends XattrChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Fallocate extends FallocateChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Locks extends LockChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class TwoClients extends TwoClientChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class Exerciser extends ExerciserChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }

  @Nested
  class StressNgRun extends StressNgChecks {
    @Override
    protected Target target() {
      return PosixSuite.this.target();
    }
  }
}
