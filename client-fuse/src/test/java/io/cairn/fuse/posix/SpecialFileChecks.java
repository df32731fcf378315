package io.cairn.fuse.posix;

import static io.cairn.fuse.posix.Errno.EEXIST;
import static io.cairn.fuse.posix.Errno.EPERM;
import static io.cairn.fuse.posix.Linux.S_IFBLK;
import static io.cairn.fuse.posix.Linux.S_IFCHR;
import static io.cairn.fuse.posix.Linux.S_IFIFO;
import static io.cairn.fuse.posix.Linux.S_IFREG;
import static io.cairn.fuse.posix.Linux.S_IFSOCK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** mknod of fifos, sockets and device nodes; the nodes' type, mode and rdev. */
abstract class SpecialFileChecks extends CheckBase {

  @Test
  void everyNodeTypeKeepsItsTypeModeAndDevice() {
    assumeRoot();
    record Node(String name, int type, long rdev) {}
    Node[] nodes = {
        new Node("fifo", S_IFIFO, 0), new Node("sock", S_IFSOCK, 0),
        new Node("null", S_IFCHR, Linux.makedev(1, 3)),
        new Node("bigdev", S_IFCHR, Linux.makedev(300, 70_000)),
        new Node("loop", S_IFBLK, Linux.makedev(7, 0)), new Node("reg", S_IFREG, 0)};
    for (Node n : nodes) {
      root.mknod(p(n.name()), n.type() | 0640, n.rdev());
      FileStat st = root.lstat(p(n.name()));
      assertThat(st.type()).as(n.name()).isEqualTo(n.type());
      assertThat(st.perm()).as(n.name()).isEqualTo(0640);
      assertThat(st.rdev()).as(n.name()).isEqualTo(n.rdev());
    }
    assertThat(root.readdir(dir)).contains("fifo", "sock", "null", "bigdev", "loop", "reg");
    expectErrno(EEXIST, () -> root.mknod(p("fifo"), S_IFIFO | 0644, 0));
  }

  @Test
  void aFifoOpensWithoutBlockingForAReaderAndCarriesNoData() {
    root.mknod(p("fifo"), S_IFIFO | 0644, 0);
    int fd = root.open(p("fifo"), Linux.O_RDONLY | Linux.O_NONBLOCK);
    assertThat(root.read(fd, 10)).isEmpty();
    root.close(fd);
    assertThat(root.stat(p("fifo")).size()).isZero();
  }

  @Test
  void unprivilegedUsersMakeFifosButNotDevices() {
    assumeRoot();
    alice().mknod(p("afifo"), S_IFIFO | 0644, 0);
    assertThat(root.stat(p("afifo")).uid()).isEqualTo(Identity.ALICE.uid());
    expectErrno(EPERM, () -> alice().mknod(p("adev"), S_IFCHR | 0644, Linux.makedev(1, 3)));
    expectErrno(EPERM, () -> alice().mknod(p("ablk"), S_IFBLK | 0644, Linux.makedev(7, 0)));
  }
}
