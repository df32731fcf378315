package io.cairn.meta.namespace;

import static io.cairn.meta.ErrnoCase.row;
import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.BOB;
import static io.cairn.meta.NamespaceFixture.codeOf;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.meta.ErrnoCase;
import io.cairn.meta.FixtureTest;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Extended attributes: flags, limits, namespaces and who may see or change them. */
class XattrTest extends FixtureTest {
    static final int CREATE = AttrOps.XATTR_CREATE;
    static final int REPLACE = AttrOps.XATTR_REPLACE;

    @Test
    void setGetListRemove() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
        InodeAttr before = fx.attr(f);
        ok(fx.as(ALICE).setXattr(f, "user.b", "two"));
        assertThat(fx.attr(f).getCtimeNs()).isEqualTo(fx.lastNs());
        assertThat(fx.attr(f).getMtimeNs()).isEqualTo(before.getMtimeNs());
        ok(fx.as(ALICE).setXattr(f, "user.a", "one"));
        ok(fx.asRoot().setXattr(f, "trusted.t", "root only"));
        ok(fx.as(ALICE).setXattr(f, "security.s", "label"));
        assertThat(fx.as(ALICE).getXattr(f, "user.a").toStringUtf8()).isEqualTo("one");
        assertThat(fx.as(ALICE).listXattrs(f)).containsExactly("security.s", "user.a", "user.b");
        assertThat(fx.asRoot().listXattrs(f)).containsExactly("security.s", "trusted.t", "user.a", "user.b");

        ok(fx.as(ALICE).removeXattr(f, "user.a"));
        assertThat(fx.attr(f).getCtimeNs()).isEqualTo(fx.lastNs());
        assertThat(codeOf(() -> fx.as(ALICE).getXattr(f, "user.a"))).isEqualTo(ErrorCode.NO_SUCH_ATTRIBUTE);
        assertThat(fx.as(ALICE).listXattrs(f)).containsExactly("security.s", "user.b");
    }

    @Test
    void valuesAreBinaryAndMayBeEmpty() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        byte[] binary = {0, 1, (byte) 0xff, 0, (byte) 0x80};
        ok(fx.asRoot().setXattr(f, "user.bin", binary, 0));
        ok(fx.asRoot().setXattr(f, "user.empty", new byte[0], 0));
        assertThat(fx.asRoot().getXattr(f, "user.bin").toByteArray()).isEqualTo(binary);
        assertThat(fx.asRoot().getXattr(f, "user.empty")).isEqualTo(ByteString.EMPTY);
    }

    @ParameterizedTest(name = "value of {0} bytes -> {1}")
    @CsvSource({"0, OK", "1, OK", "65535, OK", "65536, OK", "65537, ARGUMENT_TOO_BIG", "1048576, ARGUMENT_TOO_BIG"})
    void valueSizeLimit(int size, ErrorCode expected) throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ErrnoCase.check(fx, x -> () -> x.asRoot().setXattr(f, "user.big", new byte[size], 0), expected);
        if (expected == ErrorCode.OK) {
            assertThat(fx.asRoot().getXattr(f, "user.big").size()).isEqualTo(size);
        }
    }

    /**
     * An inode's names, each with its NUL, must fit in what listxattr(2) can return (64 KiB):
     * with no limit a file took 270 names of 255 bytes and then listxattr failed with E2BIG for
     * everyone. Past it, setxattr is ENOSPC; a replace or a removal still works.
     */
    @Test
    void namesStayListable() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        int made = 0;
        while (true) {
            String name = "user." + String.format("%04d", made).repeat(62) + "xx";  // 255 bytes
            var r = fx.asRoot().setXattr(f, name, new byte[0], 0);
            if (r.getCode() != ErrorCode.OK) {
                assertCode(r, ErrorCode.NO_SPACE);
                break;
            }
            made++;
        }
        assertThat(made).isEqualTo(Names.XATTR_LIST_MAX / 256);
        assertThat(fx.asRoot().listXattrs(f).stream().mapToInt(n -> n.length() + 1).sum())
                .isLessThanOrEqualTo(Names.XATTR_LIST_MAX);
        String first = "user." + "0000".repeat(62) + "xx";
        ok(fx.asRoot().setXattr(f, first, "a value".getBytes(StandardCharsets.UTF_8), REPLACE));
        assertCode(fx.asRoot().setXattr(f, "user.x", new byte[0], 0), ErrorCode.NO_SPACE);
        ok(fx.asRoot().removeXattr(f, first));
        ok(fx.asRoot().setXattr(f, "user.x", new byte[0], 0));
    }

    /** Names and values together are at most 1 MiB per inode: 15 values of 64 KiB fit, not 16. */
    @Test
    void valuesShareABoundedSpace() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        byte[] max = new byte[Names.XATTR_SIZE_MAX];
        for (int i = 0; i < 15; i++) {
            ok(fx.asRoot().setXattr(f, "user.v" + String.format("%02d", i), max, 0));
        }
        assertCode(fx.asRoot().setXattr(f, "user.v15", max, 0), ErrorCode.NO_SPACE);
        assertThat(codeOf(() -> fx.asRoot().getXattr(f, "user.v15"))).isEqualTo(ErrorCode.NO_SUCH_ATTRIBUTE);
        ok(fx.asRoot().setXattr(f, "user.v00", max, 0));  // a replace by a value as big fits
        ok(fx.asRoot().setXattr(f, "user.v00", new byte[1], REPLACE));
        ok(fx.asRoot().setXattr(f, "user.v15", new byte[Names.XATTR_SIZE_MAX / 2], 0));
    }

    /** setxattr(2) flags against an attribute that exists or not. */
    @ParameterizedTest(name = "flags {0} on an attribute that exists={1} -> {2}")
    @CsvSource({
            "0, false, OK",
            "0, true,  OK",
            "1, false, OK",
            "1, true,  ALREADY_EXISTS",
            "2, false, NO_SUCH_ATTRIBUTE",
            "2, true,  OK",
            "3, false, NO_SUCH_ATTRIBUTE",
            "3, true,  ALREADY_EXISTS",
            "4, false, INVALID_ARGUMENT",
            "4, true,  INVALID_ARGUMENT",
    })
    void createAndReplaceFlags(int flags, boolean exists, ErrorCode expected) throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        if (exists) {
            ok(fx.asRoot().setXattr(f, "user.k", "old"));
        }
        ErrnoCase.check(fx, x -> () -> x.asRoot().setXattr(f, "user.k", "new".getBytes(StandardCharsets.UTF_8), flags),
                expected);
        if (expected == ErrorCode.OK) {
            assertThat(fx.asRoot().getXattr(f, "user.k").toStringUtf8()).isEqualTo("new");
        } else if (exists) {
            assertThat(fx.asRoot().getXattr(f, "user.k").toStringUtf8()).isEqualTo("old");
        } else {
            assertThat(fx.asRoot().listXattrs(f)).isEmpty();
        }
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                row("empty name", ErrorCode.ATTRIBUTE_RANGE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "", "v");
                }),
                row("256-byte name", ErrorCode.ATTRIBUTE_RANGE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "user." + "n".repeat(251), "v");
                }),
                row("256-byte multibyte name", ErrorCode.ATTRIBUTE_RANGE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "user." + "é".repeat(125) + "n", "v");
                }),
                row("name with NUL", ErrorCode.ATTRIBUTE_RANGE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "user.a\0b", "v");
                }),
                row("remove with an empty name", ErrorCode.ATTRIBUTE_RANGE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().removeXattr(f, "");
                }),
                row("255-byte name works", ErrorCode.OK, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "user." + "n".repeat(250), "v");
                }),
                row("no namespace", ErrorCode.NOT_SUPPORTED, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "plain", "v");
                }),
                row("'user' without a dot", ErrorCode.NOT_SUPPORTED, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "user", "v");
                }),
                row("unknown namespace", ErrorCode.NOT_SUPPORTED, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "os2.k", "v");
                }),
                row("namespaces are case-sensitive", ErrorCode.NOT_SUPPORTED, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "USER.k", "v");
                }),
                row("system.* (POSIX ACLs) is not supported", ErrorCode.NOT_SUPPORTED, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "system.posix_acl_access", "v");
                }),
                row("remove in an unknown namespace", ErrorCode.NOT_SUPPORTED, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().removeXattr(f, "os2.k");
                }),
                row("a bare 'user.' prefix", ErrorCode.INVALID_ARGUMENT, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "user.", "v");
                }),
                row("a bare 'trusted.' prefix", ErrorCode.INVALID_ARGUMENT, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().setXattr(f, "trusted.", "v");
                }),
                row("remove of a missing attribute", ErrorCode.NO_SUCH_ATTRIBUTE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    return () -> fx.asRoot().removeXattr(f, "user.nope");
                }),
                row("remove twice", ErrorCode.NO_SUCH_ATTRIBUTE, fx -> {
                    long f = fx.create(fx.sandbox(), "f", 0644);
                    ok(fx.asRoot().setXattr(f, "user.k", "v"));
                    ok(fx.asRoot().removeXattr(f, "user.k"));
                    return () -> fx.asRoot().removeXattr(f, "user.k");
                }));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badNames")
    void names(ErrnoCase c, ErrorCode expected) {
        ErrnoCase.check(fx, c, expected);
    }

    @ParameterizedTest(name = "getxattr ''{0}'' -> {1}")
    @CsvSource({
            "user.missing,            NO_SUCH_ATTRIBUTE",
            "security.missing,        NO_SUCH_ATTRIBUTE",
            "trusted.missing,         NO_SUCH_ATTRIBUTE",
            "os2.k,                   NOT_SUPPORTED",
            "plain,                   NOT_SUPPORTED",
            "system.posix_acl_access, NOT_SUPPORTED",
            "'',                      ATTRIBUTE_RANGE",
            "user.,                   INVALID_ARGUMENT",
    })
    void getErrors(String name, ErrorCode expected) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        assertThat(codeOf(() -> fx.asRoot().getXattr(f, name))).isEqualTo(expected);
        assertThat(codeOf(() -> fx.as(ALICE).getXattr(f, name))).isEqualTo(expected);
    }

    @Test
    void trustedAttributesAreInvisibleToOthers() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
        ok(fx.asRoot().setXattr(f, "trusted.secret", "x"));
        assertThat(codeOf(() -> fx.as(ALICE).getXattr(f, "trusted.secret"))).isEqualTo(ErrorCode.NO_SUCH_ATTRIBUTE);
        assertThat(fx.as(ALICE).listXattrs(f)).isEmpty();
        assertThat(fx.asRoot().getXattr(f, "trusted.secret").toStringUtf8()).isEqualTo("x");
    }

    @Test
    void readingUserAttributesNeedsReadAccess() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0640, 1001, 1001);
        ok(fx.asRoot().setXattr(f, "user.k", "v"));
        ok(fx.asRoot().setXattr(f, "security.s", "v"));
        assertThat(codeOf(() -> fx.as(ALICE).getXattr(f, "user.k"))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(fx.as(ALICE).getXattr(f, "security.s").toStringUtf8()).as("security.* reads are not mode-checked")
                .isEqualTo("v");
        assertThat(fx.as(ALICE).listXattrs(f)).as("listing needs no permission").containsExactly("security.s", "user.k");
        assertThat(fx.as(BOB).getXattr(f, "user.k").toStringUtf8()).isEqualTo("v");
    }

    @ParameterizedTest(name = "user xattr on a {0}")
    @ValueSource(strings = {"dir", "file"})
    void userAttributesOnFilesAndDirectories(String kind) throws Exception {
        long sb = fx.sandbox();
        long ino = kind.equals("dir") ? fx.mkdir(sb, "x", 0755, 1000, 1000) : fx.create(sb, "x", 0644, 1000, 1000);
        ok(fx.as(ALICE).setXattr(ino, "user.k", "v"));
        assertThat(fx.as(ALICE).getXattr(ino, "user.k").toStringUtf8()).isEqualTo("v");
    }

    @Test
    void rootMayTagSymlinksWithTrustedAttributes() throws Exception {
        long s = fx.symlink(fx.sandbox(), "s", "t");
        ok(fx.asRoot().setXattr(s, "trusted.k", "v"));
        assertThat(fx.asRoot().listXattrs(s)).containsExactly("trusted.k");
        assertThat(codeOf(() -> fx.asRoot().getXattr(s, "user.k"))).isEqualTo(ErrorCode.NO_SUCH_ATTRIBUTE);
    }

    @Test
    void attributesAreListedInByteOrderAndPerInode() throws Exception {
        long sb = fx.sandbox();
        long a = fx.create(sb, "a", 0644);
        long b = fx.create(sb, "b", 0644);
        for (String n : new String[] {"user.z", "user.a", "user.é", "user.B", "user.a.b"}) {
            ok(fx.asRoot().setXattr(a, n, "v"));
        }
        ok(fx.asRoot().setXattr(b, "user.only-b", "v"));
        assertThat(fx.asRoot().listXattrs(a)).containsExactly("user.B", "user.a", "user.a.b", "user.z", "user.é");
        assertThat(fx.asRoot().listXattrs(b)).containsExactly("user.only-b");
    }
}
