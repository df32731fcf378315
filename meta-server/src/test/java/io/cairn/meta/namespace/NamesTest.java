package io.cairn.meta.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Name rules as Linux applies them to path components, symlink targets and xattr names. */
class NamesTest {

    static Stream<Arguments> validNames() {
        return Stream.of(
                named("a"), named("file.txt"), named(".hidden"), named("..."), named("..a"), named("a.."),
                named(".a."), named(" "), named("a b"), named("\t"), named("\n"), named("\\"), named("*?[]"),
                named("a:b"), named("-rf"), named("~"), named("\u007f"), named("名前"), named("café"),
                named("\uD83D\uDE00"), named("\uFFFD"),
                Arguments.of(Named.of("255 ASCII bytes", "a".repeat(255))),
                Arguments.of(Named.of("127 x 2-byte + 1 = 255 bytes", "é".repeat(127) + "a")),
                Arguments.of(Named.of("85 x 3-byte = 255 bytes", "€".repeat(85))),
                Arguments.of(Named.of("63 x 4-byte + 3 = 255 bytes", "\uD83D\uDE00".repeat(63) + "abc")));
    }

    private static Arguments named(String s) {
        return Arguments.of(Named.of("'" + s.replace("\n", "\\n").replace("\t", "\\t") + "'", s));
    }

    @ParameterizedTest(name = "{0} is a valid name")
    @MethodSource("validNames")
    void validName(String name) {
        assertThatCode(() -> Names.checkName(name)).doesNotThrowAnyException();
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of(Named.of("empty", ""), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'/'", "/"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'a/b'", "a/b"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'/a'", "/a"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'a/'", "a/"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'//'", "//"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("NUL", "\0"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'a<NUL>b'", "a\0b"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("trailing NUL", "a\0"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'.'", "."), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("'..'", ".."), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("256 ASCII bytes", "a".repeat(256)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("4096 ASCII bytes", "a".repeat(4096)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("128 x 2-byte = 256 bytes", "é".repeat(128)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("255 ASCII + 1 x 2-byte = 257 bytes", "a".repeat(255) + "é"),
                        ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("254 ASCII + 1 x 2-byte = 256 bytes", "a".repeat(254) + "é"),
                        ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("86 x 3-byte = 258 bytes", "€".repeat(86)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("64 x 4-byte = 256 bytes", "\uD83D\uDE00".repeat(64)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("128 chars of CJK = 384 bytes", "名".repeat(128)), ErrorCode.NAME_TOO_LONG));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalidNames")
    void invalidName(String name, ErrorCode expected) {
        assertThatThrownBy(() -> Names.checkName(name))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(expected))
                .hasMessageNotContaining("\0");
    }

    static Stream<Arguments> symlinkTargets() {
        return Stream.of(
                Arguments.of(Named.of("relative", "x"), null),
                Arguments.of(Named.of("absolute", "/etc/passwd"), null),
                Arguments.of(Named.of("dot-dot", "../../up"), null),
                Arguments.of(Named.of("'.'", "."), null),
                Arguments.of(Named.of("dangling, spaces", "no such file"), null),
                Arguments.of(Named.of("4095 bytes", "a".repeat(4095)), null),
                Arguments.of(Named.of("4095 bytes with 3-byte chars", "€".repeat(1365)), null),
                Arguments.of(Named.of("empty", ""), ErrorCode.NOT_FOUND),
                Arguments.of(Named.of("with NUL", "a\0b"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(Named.of("4096 bytes", "a".repeat(4096)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("4096 bytes with 2-byte chars", "é".repeat(2048)), ErrorCode.NAME_TOO_LONG),
                Arguments.of(Named.of("1366 x 3-byte = 4098 bytes", "€".repeat(1366)), ErrorCode.NAME_TOO_LONG));
    }

    @ParameterizedTest(name = "symlink target {0} -> {1}")
    @MethodSource("symlinkTargets")
    void symlinkTarget(String target, ErrorCode expected) {
        if (expected == null) {
            assertThatCode(() -> Names.checkSymlinkTarget(target)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Names.checkSymlinkTarget(target))
                    .satisfies(e -> assertThat(((CairnException) e).code())
                            .isEqualTo(expected));
        }
    }

    static Stream<Arguments> xattrNames() {
        String prefix = "user.";
        return Stream.of(
                Arguments.of(Named.of("user.a", "user.a"), true),
                Arguments.of(Named.of("255 bytes", prefix + "a".repeat(250)), true),
                Arguments.of(Named.of("multibyte, 255 bytes", prefix + "€".repeat(83) + "a"), true),
                Arguments.of(Named.of("no namespace (checked later)", "foo"), true),
                Arguments.of(Named.of("empty", ""), false),
                Arguments.of(Named.of("256 bytes", prefix + "a".repeat(251)), false),
                Arguments.of(Named.of("multibyte, 257 bytes", prefix + "€".repeat(84)), false),
                Arguments.of(Named.of("with NUL", "user.a\0b"), false));
    }

    @ParameterizedTest(name = "xattr name {0} valid: {1}")
    @MethodSource("xattrNames")
    void xattrName(String name, boolean valid) {
        if (valid) {
            assertThat(name.getBytes(StandardCharsets.UTF_8).length)
                    .isBetween(1, Names.XATTR_NAME_MAX);
            assertThatCode(() -> Names.checkXattrName(name)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Names.checkXattrName(name))
                    .satisfies(e -> assertThat(((CairnException) e).code())
                            .isEqualTo(ErrorCode.ATTRIBUTE_RANGE));
        }
    }
}
