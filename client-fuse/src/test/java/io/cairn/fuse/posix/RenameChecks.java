package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EACCES;
import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.EINVAL;
import static io.cairn.fuse.posix.Errno.EISDIR;
import static io.cairn.fuse.posix.Errno.ENOENT;
import static io.cairn.fuse.posix.Errno.ENOTDIR;
import static io.cairn.fuse.posix.Errno.ENOTEMPTY;
import static io.cairn.fuse.posix.Linux.O_RDONLY;
import static io.cairn.fuse.posix.Linux.RENAME_EXCHANGE;
import static io.cairn.fuse.posix.Linux.RENAME_NOREPLACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** rename and renameat2 (NOREPLACE, EXCHANGE), including atomic replacement. */
abstract class RenameChecks extends CheckBase {

  @Test
  void renameMovesTheInodeToTheNewName() {
    writeFile(p("a"), new byte[] {1});
    long ino = root.stat(p("a")).ino();
    root.mkdir(p("d"), 0755);
    root.rename(p("a"), p("d/b"));
    expectErrno(ENOENT, () -> root.stat(p("a")));
    assertThat(root.stat(p("d/b")).ino()).isEqualTo(ino);
    assertThat(readFile(p("d/b"))).containsExactly(1);
  }

  @Test
  void renameOverAFileReplacesIt() {
    writeFile(p("a"), new byte[] {1});
    writeFile(p("b"), new byte[] {2, 2});
    root.link(p("b"), p("b2"));
    long ino = root.stat(p("a")).ino();
    root.rename(p("a"), p("b"));
    assertThat(root.stat(p("b")).ino()).isEqualTo(ino);
    assertThat(readFile(p("b"))).containsExactly(1);
    assertThat(root.stat(p("b2")).nlink()).as("the replaced inode lost one link").isEqualTo(1);
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..", "b", "b2");
  }

  @Test
  void directoryRenames() {
    root.mkdir(p("src"), 0755);
    writeFile(p("src/f"), new byte[0]);
    root.mkdir(p("empty"), 0755);
    root.mkdir(p("full"), 0755);
    writeFile(p("full/x"), new byte[0]);
    writeFile(p("file"), new byte[0]);
    expectErrnoIn(() -> root.rename(p("src"), p("full")), ENOTEMPTY, EEXIST);
    expectErrno(ENOTDIR, () -> root.rename(p("src"), p("file")));
    expectErrno(EISDIR, () -> root.rename(p("file"), p("empty")));
    expectErrno(EINVAL, () -> root.rename(p("src"), p("src/inside")));
    root.mkdir(p("src/sub"), 0755);
    expectErrno(EINVAL, () -> root.rename(p("src"), p("src/sub/deeper")));
    root.rename(p("src"), p("empty"));
    assertThat(root.readdir(p("empty"))).containsExactlyInAnyOrder(".", "..", "f", "sub");
    expectErrno(ENOENT, () -> root.stat(p("src")));
  }

  @Test
  void movingADirectoryMovesItsDotDotAndLinkCounts() {
    root.mkdir(p("p1"), 0755);
    root.mkdir(p("p2"), 0755);
    root.mkdir(p("p1/d"), 0755);
    root.rename(p("p1/d"), p("p2/d"));
    assertThat(root.stat(p("p1")).nlink()).isEqualTo(2);
    assertThat(root.stat(p("p2")).nlink()).isEqualTo(3);
    assertThat(root.stat(p("p2/d/..")).ino()).isEqualTo(root.stat(p("p2")).ino());
  }

  @Test
  void renameOntoItselfOrAnotherLinkOfTheSameInodeDoesNothing() {
    writeFile(p("a"), new byte[] {1});
    root.link(p("a"), p("b"));
    root.rename(p("a"), p("a"));
    root.rename(p("a"), p("b"));
    assertThat(root.readdir(dir)).containsExactlyInAnyOrder(".", "..", "a", "b");
    assertThat(root.stat(p("a")).nlink()).isEqualTo(2);
  }

  @Test
  void renameErrors() {
    writeFile(p("f"), new byte[0]);
    expectErrno(ENOENT, () -> root.rename(p("missing"), p("x")));
    expectErrno(ENOENT, () -> root.rename(p("f"), p("nodir/x")));
    expectErrno(ENOTDIR, () -> root.rename(p("f"), p("f/x")));
    expectErrno(ENOTDIR, () -> root.rename(p("f/x"), p("y")));
  }

  @Test
  void noReplaceRefusesAnExistingTarget() {
    writeFile(p("a"), new byte[] {1});
    writeFile(p("b"), new byte[] {2});
    expectErrno(EEXIST, () -> root.renameat2(p("a"), p("b"), RENAME_NOREPLACE));
    assertThat(readFile(p("b"))).containsExactly(2);
    root.renameat2(p("a"), p("c"), RENAME_NOREPLACE);
    assertThat(readFile(p("c"))).containsExactly(1);
    expectErrno(EINVAL,
        () -> root.renameat2(p("c"), p("b"), RENAME_NOREPLACE | RENAME_EXCHANGE));
  }

  @Test
  void exchangeSwapsTwoNamesEvenOfDifferentTypes() {
    writeFile(p("a"), new byte[] {1});
    root.mkdir(p("d"), 0755);
    writeFile(p("d/inner"), new byte[0]);
    long a = root.stat(p("a")).ino();
    long d = root.stat(p("d")).ino();
    root.renameat2(p("a"), p("d"), RENAME_EXCHANGE);
    assertThat(root.stat(p("a")).ino()).isEqualTo(d);
    assertThat(root.stat(p("d")).ino()).isEqualTo(a);
    assertThat(readFile(p("d"))).containsExactly(1);
    assertThat(root.readdir(p("a"))).contains("inner");
    expectErrno(ENOENT, () -> root.renameat2(p("a"), p("missing"), RENAME_EXCHANGE));
  }

  @Test
  void unprivilegedRenameNeedsWriteOnBothDirectories() {
    assumeRoot();
    root.mkdir(p("mine"), 0755);
    root.chown(p("mine"), Identity.ALICE.uid(), Identity.ALICE.gid());
    root.mkdir(p("theirs"), 0755);
    writeFile(alice(), p("mine/f"), new byte[0]);
    expectErrno(EACCES, () -> alice().rename(p("mine/f"), p("theirs/f")));
    alice().rename(p("mine/f"), p("mine/g"));
  }

  /** A reader racing a replace-by-rename sees the old or the new file, never no file. */
  @Test
  void replacingByRenameIsAtomicForAConcurrentReader() throws Exception {
    writeFile(p("target"), "old".getBytes());
    AtomicBoolean stop = new AtomicBoolean();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        try {
          int fd = root.open(p("target"), O_RDONLY);
          String s;
          try {
            s = new String(root.read(fd, 100));
          } finally {
            root.close(fd);
          }
          if (!s.equals("old") && !s.matches("new\\d+")) {
            seen.add("content '" + s + "'");
          }
        } catch (ErrnoException e) {
          seen.add(e.getMessage());
        }
      }
    });
    reader.start();
    try {
      for (int i = 0; i < 300; i++) {
        writeFile(p("tmp"), ("new" + i).getBytes());
        root.rename(p("tmp"), p("target"));
      }
    } finally {
      stop.set(true);
      reader.join();
    }
    assertThat(seen).isEmpty();
    assertThat(new String(readFile(p("target")))).isEqualTo("new299");
  }
}
