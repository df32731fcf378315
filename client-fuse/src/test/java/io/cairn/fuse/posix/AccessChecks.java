package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Linux.F_OK;
import static io.cairn.fuse.posix.Linux.R_OK;
import static io.cairn.fuse.posix.Linux.W_OK;
import static io.cairn.fuse.posix.Linux.X_OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** access(2) for each class of user, and root's exceptions. */
abstract class AccessChecks extends CheckBase {

  @Test
  void accessFollowsTheModeClasses() {
    assumeRoot();
    record Row(int mode, Identity who, int ask, Errno expected) {}
    Identity a = Identity.ALICE;
    Identity b = Identity.BOB;
    Identity c = Identity.CAROL;
    Identity r = Identity.ROOT2;
    List<Row> rows = List.of(
        new Row(0700, a, R_OK | W_OK | X_OK, null), new Row(0500, a, W_OK, EACCES),
        new Row(0300, a, R_OK, EACCES), new Row(0070, a, R_OK, EACCES),
        new Row(0050, b, R_OK | X_OK, null), new Row(0050, b, W_OK, EACCES),
        new Row(0007, b, R_OK, EACCES), new Row(0007, c, R_OK | W_OK | X_OK, null),
        new Row(0770, c, R_OK, EACCES), new Row(0000, a, F_OK, null),
        // root: read and write always; execute only if someone may execute
        new Row(0000, r, R_OK | W_OK, null), new Row(0000, r, X_OK, EACCES),
        new Row(0001, r, X_OK, null), new Row(0010, r, X_OK, null));
    List<String> failures = new ArrayList<>();
    int i = 0;
    for (Row row : rows) {
      String f = p("f" + i++);
      writeFile(f, new byte[0]);
      root.chown(f, a.uid(), Identity.SHARED_GROUP);
      root.chmod(f, row.mode());
      Sys who = Actors.as(row.who());
      Errno got = outcome(() -> who.access(f, row.ask()));
      if (got != row.expected()) {
        failures.add(row + " got " + got);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void accessOnMissingNamesAndUnsearchableDirectories() {
    expectErrno(ENOENT, () -> root.access(p("missing"), F_OK));
    assumeRoot();
    root.mkdir(p("closed"), 0700);
    writeFile(p("closed/f"), new byte[0]);
    root.chmod(p("closed/f"), 0777);
    expectErrno(EACCES, () -> alice().access(p("closed/f"), F_OK));
    root.access(p("closed/f"), R_OK | W_OK | X_OK);
  }

  @Test
  void rootMayExecuteADirectoryWithNoExecuteBits() {
    root.mkdir(p("d"), 0000);
    root.access(p("d"), X_OK | R_OK | W_OK);
  }
}
