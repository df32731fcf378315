package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.BOB;
import static io.cairn.meta.NamespaceFixture.CAROL;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.codeOf;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.proto.Credentials;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** lookup, getattr, readdir, readlink and access: answers and errors. */
class QueryTest extends FixtureTest {
    static final long MISSING = 987_654_321L;

    private static Credentials who(String name) {
        return switch (name) {
            case "root" -> ROOT;
            case "alice" -> ALICE;
            case "bob" -> BOB;
            case "carol" -> CAROL;
            case "dave" -> NamespaceFixture.user(1003, 1003);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void lookupReturnsTheChildsAttributes() throws Exception {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0640, 1000, 100);
        InodeAttr a = fx.as(ALICE).lookup(sb, "f");
        assertThat(a).isEqualTo(fx.attr(f));
        assertThat(a.getInode()).isEqualTo(f);
    }

    @ParameterizedTest(name = "lookup ''{0}'' -> {1}")
    @CsvSource({
            "f,           OK",
            "missing,     NOT_FOUND",
            "F,           NOT_FOUND",
            "'',          INVALID_ARGUMENT",
            ".,           INVALID_ARGUMENT",
            "..,          INVALID_ARGUMENT",
            "a/f,         INVALID_ARGUMENT",
    })
    void lookupNames(String name, ErrorCode expected) {
        long sb = fx.sandbox();
        fx.create(sb, "f", 0644);
        assertThat(codeOf(() -> fx.asRoot().lookup(sb, name))).isEqualTo(expected);
    }

    @Test
    void lookupErrors() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0644);
        assertThat(codeOf(() -> fx.asRoot().lookup(sb, "n".repeat(256)))).isEqualTo(ErrorCode.NAME_TOO_LONG);
        assertThat(codeOf(() -> fx.asRoot().lookup(f, "x"))).isEqualTo(ErrorCode.NOT_A_DIRECTORY);
        assertThat(codeOf(() -> fx.asRoot().lookup(MISSING, "x"))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    /** Searching a directory (lookup) needs X; listing it (readdir) needs R. */
    @ParameterizedTest(name = "{0} on a 0{1} directory owned by 1001:100: lookup {2}, readdir {3}")
    @CsvSource({
            "alice, 755, OK,                OK",
            "alice, 711, OK,                PERMISSION_DENIED",
            "alice, 744, PERMISSION_DENIED, OK",
            "alice, 700, PERMISSION_DENIED, PERMISSION_DENIED",
            "alice, 750, OK,                OK",                  // group 100 member
            "alice, 705, PERMISSION_DENIED, PERMISSION_DENIED",   // the group class decides for members
            "carol, 705, OK,                OK",
            "carol, 770, PERMISSION_DENIED, PERMISSION_DENIED",
            "dave,  700, PERMISSION_DENIED, PERMISSION_DENIED",
            "dave,  701, OK,                PERMISSION_DENIED",
            "root,  000, OK,                OK",
    })
    void searchAndListPermissions(String caller, String mode, ErrorCode lookup, ErrorCode readdir) {
        long d = fx.mkdir(fx.sandbox(), "d", Integer.parseInt(mode, 8), 1001, 100);
        fx.create(d, "f", 0644);
        Credentials c = who(caller);
        assertThat(codeOf(() -> fx.as(c).lookup(d, "f"))).isEqualTo(lookup);
        assertThat(codeOf(() -> fx.as(c).readDir(d, "", 0, false))).isEqualTo(readdir);
    }

    @Test
    void ownerClassAppliesToTheDirectoryOwner() {
        long d = fx.mkdir(fx.sandbox(), "d", 0077, 1001, 1001);
        assertThat(codeOf(() -> fx.as(BOB).lookup(d, "x"))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(codeOf(() -> fx.as(BOB).readDir(d, "", 0, false))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void readdirOfANonDirectory() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        assertThat(codeOf(() -> fx.asRoot().readDir(f, "", 0, false))).isEqualTo(ErrorCode.NOT_A_DIRECTORY);
        assertThat(codeOf(() -> fx.asRoot().readDir(MISSING, "", 0, false))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @ParameterizedTest(name = "readlink of a {0} -> {1}")
    @CsvSource({"symlink, OK", "file, INVALID_ARGUMENT", "dir, INVALID_ARGUMENT", "fifo, INVALID_ARGUMENT",
            "missing, NOT_FOUND"})
    void readlink(String kind, ErrorCode expected) throws Exception {
        long sb = fx.sandbox();
        long ino = switch (kind) {
            case "symlink" -> fx.symlink(sb, "x", "target");
            case "file" -> fx.create(sb, "x", 0644);
            case "dir" -> fx.mkdir(sb, "x", 0755);
            case "fifo" -> ok(fx.asRoot().mknod(sb, "x", FileMode.S_IFIFO | 0644, 0, false)).getAttr().getInode();
            default -> MISSING;
        };
        assertThat(codeOf(() -> fx.as(CAROL).readLink(ino))).isEqualTo(expected);
        if (expected == ErrorCode.OK) {
            assertThat(fx.as(CAROL).readLink(ino)).isEqualTo("target");
        }
    }

    @ParameterizedTest(name = "readlink returns ''{0}'' byte for byte")
    @CsvSource({"/", "../up/../down", "with space", "名前/ファイル", "trailing/", "a"})
    void readlinkTargets(String target) throws Exception {
        long s = fx.symlink(fx.sandbox(), "s", target);
        assertThat(fx.asRoot().readLink(s)).isEqualTo(target);
    }

    @Test
    void readlinkOfTheLongestTarget() throws Exception {
        String target = "t/".repeat(2047) + "x";
        assertThat(target.length()).isEqualTo(4095);
        long s = fx.symlink(fx.sandbox(), "s", target);
        assertThat(fx.asRoot().readLink(s)).isEqualTo(target);
        assertThat(fx.attr(s).getSize()).isEqualTo(4095);
        NamespaceFixture.assertCode(fx.asRoot().symlink(fx.sandbox(), "s", target + "y"), ErrorCode.NAME_TOO_LONG);
    }

    /** access(2) for a file owned by 1001:100. */
    @ParameterizedTest(name = "{0} access({1}) on 0{2} -> {3}")
    @CsvSource({
            "alice, 0, 000, OK",          // existence only
            "alice, 4, 640, OK",
            "alice, 2, 640, PERMISSION_DENIED",
            "alice, 6, 660, OK",
            "alice, 1, 650, OK",
            "alice, 7, 670, OK",
            "alice, 7, 674, OK",
            "carol, 4, 640, PERMISSION_DENIED",
            "carol, 4, 604, OK",
            "carol, 1, 755, OK",
            "bob,   2, 260, OK",
            "bob,   4, 260, PERMISSION_DENIED",
            "root,  6, 000, OK",
            "root,  1, 000, PERMISSION_DENIED",
            "root,  1, 001, OK",
            "alice, 8, 777, INVALID_ARGUMENT",
            "alice, 15, 777, INVALID_ARGUMENT",
    })
    void access(String caller, int mask, String mode, ErrorCode expected) {
        long f = fx.create(fx.sandbox(), "f", Integer.parseInt(mode, 8), 1001, 100);
        assertThat(codeOf(() -> fx.as(who(caller)).access(f, mask))).isEqualTo(expected);
    }

    @Test
    void accessOfDirectoriesAndMissingInodes() {
        long d = fx.mkdir(fx.sandbox(), "d", 0000, 1001, 100);
        assertThat(codeOf(() -> fx.asRoot().access(d, 7))).isEqualTo(ErrorCode.OK);
        assertThat(codeOf(() -> fx.as(ALICE).access(d, 1))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(codeOf(() -> fx.asRoot().access(MISSING, 0))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void getattrNeedsNoPermissionOnTheInode() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0000, 1001, 1001);
        assertThat(fx.as(CAROL).getAttr(f)).isEqualTo(fx.attr(f));
        assertThat(codeOf(() -> fx.asRoot().getAttr(MISSING))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @ParameterizedTest(name = "size {0} is {1} blocks of 512 bytes")
    @CsvSource({"0, 0", "1, 1", "511, 1", "512, 1", "513, 2", "4096, 8", "1048577, 2049"})
    void blocksRoundUp(long size, long blocks) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().truncate(f, size));
        assertThat(fx.attr(f).getBlocks()).isEqualTo(blocks);
    }
}
