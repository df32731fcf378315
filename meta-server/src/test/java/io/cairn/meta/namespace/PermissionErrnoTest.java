package io.cairn.meta.namespace;

import static io.cairn.meta.ErrnoCase.row;
import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.BOB;
import static io.cairn.meta.NamespaceFixture.CAROL;
import static io.cairn.meta.NamespaceFixture.STAFF;
import static io.cairn.meta.NamespaceFixture.ok;

import io.cairn.meta.ErrnoCase;
import io.cairn.meta.FixtureTest;
import io.cairn.proto.ErrorCode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EACCES (mode bits say no) and EPERM (only the owner or root may) as Linux decides them, plus
 * the allowed neighbours of each denied case. Alice and Bob share group 100; Carol is alone.
 */
class PermissionErrnoTest extends FixtureTest {
    static final int FIFO = FileMode.S_IFIFO;

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource({"noWriteOnParent", "noSearchOnParent", "modeClasses", "accessOther", "notPermitted",
            "sticky", "allowed"})
    void check(ErrnoCase c, ErrorCode expected) {
        ErrnoCase.check(fx, c, expected);
    }

    static Stream<Arguments> noWriteOnParent() {
        ErrorCode e = ErrorCode.PERMISSION_DENIED;
        return Stream.of(
                row("create in a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0555);
                    return () -> fx.as(ALICE).create(d, "f", 0644);
                }),
                row("mknod fifo in a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0555);
                    return () -> fx.as(ALICE).mknod(d, "p", FIFO | 0644, 0, false);
                }),
                row("mkdir in a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0555);
                    return () -> fx.as(ALICE).mkdir(d, "sub", 0755);
                }),
                row("symlink in a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0555);
                    return () -> fx.as(ALICE).symlink(d, "s", "t");
                }),
                row("link into a 0555 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long f = fx.create(sb, "f", 0644, 1000, 1000);
                    long d = fx.mkdir(sb, "ro", 0555);
                    return () -> fx.as(ALICE).link(f, d, "l");
                }),
                row("unlink in a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0755);
                    fx.create(d, "f", 0666, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0555));
                    return () -> fx.as(ALICE).unlink(d, "f");
                }),
                row("rmdir in a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0755);
                    fx.mkdir(d, "sub", 0777, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0555));
                    return () -> fx.as(ALICE).rmdir(d, "sub");
                }),
                row("rename within a 0555 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0755);
                    fx.create(d, "f", 0666, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0555));
                    return () -> fx.as(ALICE).rename(d, "f", d, "g");
                }),
                row("rename out of a 0555 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "ro", 0755);
                    fx.create(d, "f", 0666, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0555));
                    return () -> fx.as(ALICE).rename(d, "f", sb, "f");
                }),
                row("rename into a 0555 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "ro", 0555);
                    fx.create(sb, "f", 0666, 1000, 1000);
                    return () -> fx.as(ALICE).rename(sb, "f", d, "f");
                }),
                row("rename a directory to another parent without write on the directory", e, fx -> {
                    long sb = fx.sandbox();
                    fx.mkdir(sb, "d", 0555);
                    long to = fx.mkdir(sb, "to", 0777);
                    return () -> fx.as(ALICE).rename(sb, "d", to, "d");
                }),
                row("exchange moving a directory without write on it to another parent", e, fx -> {
                    long sb = fx.sandbox();
                    long other = fx.mkdir(sb, "other", 0777);
                    fx.create(sb, "f", 0666, 1000, 1000);
                    fx.mkdir(other, "d", 0555);
                    return () -> fx.as(ALICE).rename(sb, "f", other, "d", RenameOp.EXCHANGE);
                }),
                row("O_EXCL create over an existing name in a 0555 directory still needs only search",
                        ErrorCode.ALREADY_EXISTS, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0755);
                    fx.create(d, "f", 0644);
                    ok(fx.asRoot().chmod(d, 0555));
                    return () -> fx.as(ALICE).createExclusive(d, "f", 0644);
                }),
                row("mkdir over an existing name in a 0555 directory", ErrorCode.ALREADY_EXISTS, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0755);
                    fx.mkdir(d, "sub", 0755);
                    ok(fx.asRoot().chmod(d, 0555));
                    return () -> fx.as(ALICE).mkdir(d, "sub", 0755);
                }),
                row("unlink of a missing name in a 0555 directory", ErrorCode.NOT_FOUND, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "ro", 0555);
                    return () -> fx.as(ALICE).unlink(d, "nope");
                }));
    }

    static Stream<Arguments> noSearchOnParent() {
        ErrorCode e = ErrorCode.PERMISSION_DENIED;
        return Stream.of(
                row("create in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0666);
                    return () -> fx.as(ALICE).create(d, "f", 0644);
                }),
                row("create (not O_EXCL) of an existing file in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0777);
                    fx.create(d, "f", 0666);
                    ok(fx.asRoot().chmod(d, 0666));
                    return () -> fx.as(ALICE).create(d, "f", 0644);
                }),
                row("mkdir in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0666);
                    return () -> fx.as(ALICE).mkdir(d, "sub", 0755);
                }),
                row("mkdir over an existing name in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0777);
                    fx.mkdir(d, "sub", 0755);
                    ok(fx.asRoot().chmod(d, 0666));
                    return () -> fx.as(ALICE).mkdir(d, "sub", 0755);
                }),
                row("symlink in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0666);
                    return () -> fx.as(ALICE).symlink(d, "s", "t");
                }),
                row("symlink over an existing name in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0777);
                    fx.create(d, "s", 0644);
                    ok(fx.asRoot().chmod(d, 0666));
                    return () -> fx.as(ALICE).symlink(d, "s", "t");
                }),
                row("link into a 0666 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long f = fx.create(sb, "f", 0644, 1000, 1000);
                    long d = fx.mkdir(sb, "nx", 0666);
                    return () -> fx.as(ALICE).link(f, d, "l");
                }),
                row("unlink in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0777);
                    fx.create(d, "f", 0666, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0666));
                    return () -> fx.as(ALICE).unlink(d, "f");
                }),
                row("unlink of a missing name in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0666);
                    return () -> fx.as(ALICE).unlink(d, "nope");
                }),
                row("rmdir in a 0666 directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "nx", 0777);
                    fx.mkdir(d, "sub", 0777, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0666));
                    return () -> fx.as(ALICE).rmdir(d, "sub");
                }),
                row("rename out of a 0666 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "nx", 0777);
                    fx.create(d, "f", 0666, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0666));
                    return () -> fx.as(ALICE).rename(d, "f", sb, "f");
                }),
                row("rename of a missing name out of a 0666 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "nx", 0666);
                    return () -> fx.as(ALICE).rename(d, "nope", sb, "f");
                }),
                row("rename into a 0666 directory", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "nx", 0666);
                    fx.create(sb, "f", 0666, 1000, 1000);
                    return () -> fx.as(ALICE).rename(sb, "f", d, "f");
                }));
    }

    static Stream<Arguments> modeClasses() {
        ErrorCode e = ErrorCode.PERMISSION_DENIED;
        return Stream.of(
                row("owner of a 0077 directory may not create in it", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0077, 1000, 1000);
                    return () -> fx.as(ALICE).create(d, "f", 0644);
                }),
                row("group member of a 0707 directory may not create in it", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0707, 0, STAFF);
                    return () -> fx.as(BOB).create(d, "f", 0644);
                }),
                row("other of a 0770 directory may not create in it", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0770, 1000, STAFF);
                    return () -> fx.as(CAROL).create(d, "f", 0644);
                }),
                row("other of a 0707 directory may create in it", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0707, 0, STAFF);
                    return () -> fx.as(CAROL).create(d, "f", 0644);
                }),
                row("supplementary group member of a 0070 directory may create in it", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0070, 0, STAFF);
                    return () -> fx.as(BOB).mkdir(d, "sub", 0755);
                }),
                row("root may create in a 0000 directory", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0000, 1000, 1000);
                    return () -> fx.asRoot().create(d, "f", 0644);
                }),
                row("root may unlink from a 0000 directory", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0700, 1000, 1000);
                    fx.create(d, "f", 0000, 1000, 1000);
                    ok(fx.asRoot().chmod(d, 0));
                    return () -> fx.asRoot().unlink(d, "f");
                }),
                row("unlink needs no permission on the file itself", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0777);
                    fx.create(d, "f", 0000, 1001, 1001);
                    return () -> fx.as(ALICE).unlink(d, "f");
                }),
                row("link needs no permission on the file itself", ErrorCode.OK, fx -> {
                    long sb = fx.sandbox();
                    long f = fx.create(sb, "f", 0000, 1000, 1000);
                    return () -> fx.as(ALICE).link(f, sb, "l");
                }),
                row("rename a directory within its parent needs no write on it", ErrorCode.OK, fx -> {
                    long sb = fx.sandbox();
                    fx.mkdir(sb, "d", 0555);
                    return () -> fx.as(ALICE).rename(sb, "d", sb, "e");
                }),
                row("rename a directory to another parent with write on it", ErrorCode.OK, fx -> {
                    long sb = fx.sandbox();
                    fx.mkdir(sb, "d", 0700, 1000, 1000);
                    long to = fx.mkdir(sb, "to", 0777);
                    return () -> fx.as(ALICE).rename(sb, "d", to, "d");
                }));
    }

    static Stream<Arguments> accessOther() {
        ErrorCode e = ErrorCode.PERMISSION_DENIED;
        return Stream.of(
                row("truncate a 0644 file of another user", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1001, 1001);
                    return () -> fx.as(ALICE).truncate(f, 0);
                }),
                row("truncate one's own 0444 file", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0444, 1000, 1000);
                    return () -> fx.as(ALICE).truncate(f, 0);
                }),
                row("ftruncate through a descriptor open for writing skips the check", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0444, 1000, 1000);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetSize(true).setSize(0).setViaOpenFile(true));
                }),
                row("truncate a group-writable file as a member", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0464, 1001, STAFF);
                    return () -> fx.as(ALICE).truncate(f, 10);
                }),
                row("touch (both times now) without write access", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true)
                            .setSetMtime(true).setMtimeNow(true));
                }),
                row("touch (both times now) with write access", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true)
                            .setSetMtime(true).setMtimeNow(true));
                }),
                row("touch own 0444 file", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0444, 1000, 1000);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true)
                            .setSetMtime(true).setMtimeNow(true));
                }),
                row("set a user xattr without write access", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1001, 1001);
                    return () -> fx.as(ALICE).setXattr(f, "user.k", "v");
                }),
                row("remove a user xattr without write access", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1001, 1001);
                    ok(fx.asRoot().setXattr(f, "user.k", "v"));
                    return () -> fx.as(ALICE).removeXattr(f, "user.k");
                }),
                row("set a user xattr on one's own 0444 file", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0444, 1000, 1000);
                    return () -> fx.as(ALICE).setXattr(f, "user.k", "v");
                }),
                row("set a user xattr with group write access", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0460, 1001, STAFF);
                    return () -> fx.as(ALICE).setXattr(f, "user.k", "v");
                }));
    }

    static Stream<Arguments> notPermitted() {
        ErrorCode e = ErrorCode.NOT_PERMITTED;
        return Stream.of(
                row("hard link to a directory as root", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "d", 0755);
                    return () -> fx.asRoot().link(d, sb, "l");
                }),
                row("hard link to a directory as its owner", e, fx -> {
                    long sb = fx.sandbox();
                    long d = fx.mkdir(sb, "d", 0777, 1000, 1000);
                    return () -> fx.as(ALICE).link(d, sb, "l");
                }),
                row("hard link to the volume root", e, fx -> {
                    long sb = fx.sandbox();
                    return () -> fx.asRoot().link(fx.root(), sb, "l");
                }),
                row("mknod a character device as non-root", e, fx -> {
                    long sb = fx.sandbox();
                    return () -> fx.as(ALICE).mknod(sb, "null", FileMode.S_IFCHR | 0666, 0x0103, false);
                }),
                row("mknod a block device as non-root", e, fx -> {
                    long sb = fx.sandbox();
                    return () -> fx.as(ALICE).mknod(sb, "sda", FileMode.S_IFBLK | 0660, 0x0800, false);
                }),
                row("mknod a directory", e, fx -> {
                    long sb = fx.sandbox();
                    return () -> fx.asRoot().mknod(sb, "d", FileMode.S_IFDIR | 0755, 0, false);
                }),
                row("chown own file to another user", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetUid(true).setUid(1001));
                }),
                row("chown another's file to oneself", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1000, 1000);
                    return () -> fx.as(BOB).setAttr(f, b -> b.setSetUid(true).setUid(1001));
                }),
                row("chown another's file to its current owner", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1000, 1000);
                    return () -> fx.as(BOB).setAttr(f, b -> b.setSetUid(true).setUid(1000));
                }),
                row("chgrp another's file to a shared group", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1000, 1000);
                    return () -> fx.as(BOB).chgrp(f, STAFF);
                }),
                row("chgrp another's file to its current group", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1000, STAFF);
                    return () -> fx.as(BOB).chgrp(f, STAFF);
                }),
                row("chgrp own file to a group one is not in", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    return () -> fx.as(ALICE).chgrp(f, 1002);
                }),
                row("chgrp own directory to a group one is not in", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0755, 1000, 1000);
                    return () -> fx.as(ALICE).chgrp(d, 0);
                }),
                row("chmod another's file even with write access", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, STAFF);
                    return () -> fx.as(ALICE).chmod(f, 0777);
                }),
                row("chmod another's directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0777, 1001, 1001);
                    return () -> fx.as(ALICE).chmod(d, 0700);
                }),
                row("chmod the root-owned volume root", e, fx -> () -> fx.as(ALICE).chmod(fx.root(), 0777)),
                row("set explicit times on another's file with write access", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNs(5)
                            .setSetMtime(true).setMtimeNs(6));
                }),
                row("set an explicit mtime on another's file with write access", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetMtime(true).setMtimeNs(6));
                }),
                row("set atime now and an explicit mtime on another's file", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true)
                            .setSetMtime(true).setMtimeNs(6));
                }),
                row("set only atime to now on another's writable file (UTIME_OMIT for mtime)", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true));
                }),
                row("set only mtime to now on another's writable file (UTIME_OMIT for atime)", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetMtime(true).setMtimeNow(true));
                }),
                row("set a trusted xattr as non-root owner", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    return () -> fx.as(ALICE).setXattr(f, "trusted.k", "v");
                }),
                row("remove a trusted xattr as non-root owner", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    ok(fx.asRoot().setXattr(f, "trusted.k", "v"));
                    return () -> fx.as(ALICE).removeXattr(f, "trusted.k");
                }),
                row("set a security xattr on another's writable file", e, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
                    return () -> fx.as(ALICE).setXattr(f, "security.k", "v");
                }),
                row("set a user xattr on a symlink", e, fx -> {
                    long s = fx.symlink(fx.sandbox(), "s", "t");
                    return () -> fx.asRoot().setXattr(s, "user.k", "v");
                }),
                row("set a user xattr on a fifo", e, fx -> {
                    long p = ok(fx.asRoot().mknod(fx.sandbox(), "p", FIFO | 0666, 0, false)).getAttr().getInode();
                    return () -> fx.as(ALICE).setXattr(p, "user.k", "v");
                }),
                row("set a user xattr on another's writable sticky directory", e, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 01777, 1001, 1001);
                    return () -> fx.as(ALICE).setXattr(d, "user.k", "v");
                }),
                row("set a user xattr on one's own sticky directory", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 01755, 1000, 1000);
                    return () -> fx.as(ALICE).setXattr(d, "user.k", "v");
                }),
                row("mknod a character device as root", ErrorCode.OK, fx -> {
                    long sb = fx.sandbox();
                    return () -> fx.asRoot().mknod(sb, "null", FileMode.S_IFCHR | 0666, 0x0103, false);
                }),
                row("mknod fifo and socket as non-root", ErrorCode.OK, fx -> {
                    long sb = fx.sandbox();
                    ok(fx.as(ALICE).mknod(sb, "sock", FileMode.S_IFSOCK | 0666, 0, false));
                    return () -> fx.as(ALICE).mknod(sb, "fifo", FIFO | 0666, 0, false);
                }),
                row("chown own file to own uid and a member group", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    return () -> fx.as(ALICE).chown(f, 1000, STAFF);
                }),
                row("chgrp own file to its current group", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1002);
                    return () -> fx.as(ALICE).chgrp(f, 1002);
                }),
                row("root chowns anything to anyone", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    return () -> fx.asRoot().chown(f, 4242, 4343);
                }),
                row("set explicit times on one's own 0000 file", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0000, 1000, 1000);
                    return () -> fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNs(5)
                            .setSetMtime(true).setMtimeNs(6));
                }),
                row("root sets a trusted xattr", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
                    return () -> fx.asRoot().setXattr(f, "trusted.k", "v");
                }),
                row("owner sets a security xattr", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0444, 1000, 1000);
                    return () -> fx.as(ALICE).setXattr(f, "security.k", "v");
                }));
    }

    static Stream<Arguments> sticky() {
        ErrorCode e = ErrorCode.NOT_PERMITTED;
        return Stream.of(
                row("unlink another's file in a sticky directory", e, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.create(t, "f", 0666, 1000, 1000);
                    return () -> fx.as(BOB).unlink(t, "f");
                }),
                row("rmdir another's directory in a sticky directory", e, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.mkdir(t, "d", 0777, 1000, 1000);
                    return () -> fx.as(BOB).rmdir(t, "d");
                }),
                row("rename another's file away from a sticky directory", e, fx -> {
                    long sb = fx.sandbox();
                    long t = fx.mkdir(sb, "tmp", 01777);
                    fx.create(t, "f", 0666, 1000, 1000);
                    return () -> fx.as(BOB).rename(t, "f", sb, "mine");
                }),
                row("rename another's file within a sticky directory", e, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.create(t, "f", 0666, 1000, 1000);
                    return () -> fx.as(BOB).rename(t, "f", t, "g");
                }),
                row("rename one's file over another's in a sticky directory", e, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.create(t, "alice", 0666, 1000, 1000);
                    fx.create(t, "bob", 0666, 1001, 1001);
                    return () -> fx.as(BOB).rename(t, "bob", t, "alice");
                }),
                row("rename one's file from elsewhere over another's in a sticky directory", e, fx -> {
                    long sb = fx.sandbox();
                    long t = fx.mkdir(sb, "tmp", 01777);
                    fx.create(t, "alice", 0666, 1000, 1000);
                    fx.create(sb, "bob", 0666, 1001, 1001);
                    return () -> fx.as(BOB).rename(sb, "bob", t, "alice");
                }),
                row("exchange one's file with another's in a sticky directory", e, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.create(t, "alice", 0666, 1000, 1000);
                    fx.create(t, "bob", 0666, 1001, 1001);
                    return () -> fx.as(BOB).rename(t, "bob", t, "alice", RenameOp.EXCHANGE);
                }),
                row("unlink another's file in a group-writable sticky directory", e, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "shared", 01770, 0, STAFF);
                    fx.create(t, "f", 0666, 1000, STAFF);
                    return () -> fx.as(BOB).unlink(t, "f");
                }),
                row("owner of the file unlinks it in a sticky directory", ErrorCode.OK, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.create(t, "f", 0600, 1000, 1000);
                    return () -> fx.as(ALICE).unlink(t, "f");
                }),
                row("owner of the sticky directory unlinks another's file", ErrorCode.OK, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777, 1001, 1001);
                    fx.create(t, "f", 0600, 1000, 1000);
                    return () -> fx.as(BOB).unlink(t, "f");
                }),
                row("root unlinks another's file in a sticky directory", ErrorCode.OK, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777, 1001, 1001);
                    fx.create(t, "f", 0600, 1000, 1000);
                    return () -> fx.asRoot().unlink(t, "f");
                }),
                row("rename one's own file over a missing name in a sticky directory", ErrorCode.OK, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 01777);
                    fx.create(t, "f", 0600, 1001, 1001);
                    return () -> fx.as(BOB).rename(t, "f", t, "g");
                }),
                row("without the sticky bit anyone with write on the directory unlinks", ErrorCode.OK, fx -> {
                    long t = fx.mkdir(fx.sandbox(), "tmp", 0777);
                    fx.create(t, "f", 0600, 1000, 1000);
                    return () -> fx.as(BOB).unlink(t, "f");
                }));
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                row("create through a supplementary group", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.sandbox(), "d", 0030, 0, STAFF);
                    return () -> fx.as(ALICE).create(d, "f", 0644);
                }),
                row("rmdir of a 0000 directory one may remove from its parent", ErrorCode.OK, fx -> {
                    long sb = fx.sandbox();
                    fx.mkdir(sb, "d", 0000, 1001, 1001);
                    return () -> fx.as(ALICE).rmdir(sb, "d");
                }));
    }
}
