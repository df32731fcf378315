package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.ErrnoCase;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaReply;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operation that takes a name rejects bad names the same way, and takes every good one. */
class NameValidationTest extends FixtureTest {

    /** An operation applied with {@code name} as the name under test: setup first, then the call. */
    enum Op {
        CREATE(true, (fx, name) -> () -> fx.asRoot().create(fx.root(), name, 0644)),
        MKNOD_FIFO(true, (fx, name) -> () -> fx.asRoot().mknod(fx.root(), name, FileMode.S_IFIFO | 0644, 0, false)),
        MKDIR(true, (fx, name) -> () -> fx.asRoot().mkdir(fx.root(), name, 0755)),
        SYMLINK(true, (fx, name) -> () -> fx.asRoot().symlink(fx.root(), name, "target")),
        LINK(true, (fx, name) -> {
            long f = fx.create(fx.root(), "existing", 0644);
            return () -> fx.asRoot().link(f, fx.root(), name);
        }),
        RENAME_TO(true, (fx, name) -> {
            fx.create(fx.root(), "src", 0644);
            return () -> fx.asRoot().rename(fx.root(), "src", fx.root(), name);
        }),
        RENAME_NOREPLACE_TO(true, (fx, name) -> {
            fx.create(fx.root(), "src", 0644);
            return () -> fx.asRoot().rename(fx.root(), "src", fx.root(), name, RenameOp.NOREPLACE);
        }),
        UNLINK(false, (fx, name) -> () -> fx.asRoot().unlink(fx.root(), name)),
        RMDIR(false, (fx, name) -> () -> fx.asRoot().rmdir(fx.root(), name)),
        RENAME_FROM(false, (fx, name) -> () -> fx.asRoot().rename(fx.root(), name, fx.root(), "dst")),
        EXCHANGE_WITH(false, (fx, name) -> {
            fx.create(fx.root(), "src", 0644);
            return () -> fx.asRoot().rename(fx.root(), "src", fx.root(), name, RenameOp.EXCHANGE);
        });

        final boolean creates;
        final BiFunction<NamespaceFixture, String, Supplier<MetaReply>> prepare;

        Op(boolean creates, BiFunction<NamespaceFixture, String, Supplier<MetaReply>> prepare) {
            this.creates = creates;
            this.prepare = prepare;
        }

        ErrnoCase with(String name) {
            return fx -> prepare.apply(fx, name);
        }
    }

    static final List<Arguments> BAD = List.of(
            Arguments.of("empty", "", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("'a/b'", "a/b", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("'/'", "/", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("'x/'", "x/", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("NUL", "\0", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("'x<NUL>'", "x\0", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("'.'", ".", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("'..'", "..", ErrorCode.INVALID_ARGUMENT),
            Arguments.of("256 ASCII bytes", "n".repeat(256), ErrorCode.NAME_TOO_LONG),
            Arguments.of("128 x 'é' (256 bytes)", "é".repeat(128), ErrorCode.NAME_TOO_LONG),
            Arguments.of("86 x '€' (258 bytes)", "€".repeat(86), ErrorCode.NAME_TOO_LONG),
            Arguments.of("64 x emoji (256 bytes)", "\uD83D\uDE00".repeat(64), ErrorCode.NAME_TOO_LONG),
            Arguments.of("254 ASCII + 'é' (256 bytes)", "n".repeat(254) + "é", ErrorCode.NAME_TOO_LONG));

    static Stream<Arguments> badNames() {
        return Arrays.stream(Op.values()).flatMap(op -> BAD.stream().map(a -> {
            Object[] v = a.get();
            String name = (String) v[1];
            return Arguments.of(op, Named.of((String) v[0], op.with(name)), v[2]);
        }));
    }

    @ParameterizedTest(name = "{0} with name {1} -> {2}")
    @MethodSource("badNames")
    void badName(Op op, ErrnoCase c, ErrorCode expected) {
        ErrnoCase.check(fx, c, expected);
    }

    static Stream<Arguments> longestNames() {
        List<Arguments> names = List.of(
                Arguments.of("255 ASCII bytes", "n".repeat(255)),
                Arguments.of("127 x 'é' + 'a' (255 bytes)", "é".repeat(127) + "a"),
                Arguments.of("85 x '€' (255 bytes)", "€".repeat(85)),
                Arguments.of("63 x emoji + 'abc' (255 bytes)", "\uD83D\uDE00".repeat(63) + "abc"));
        return Arrays.stream(Op.values()).filter(op -> op.creates)
                .flatMap(op -> names.stream().map(a -> Arguments.of(op, Named.of((String) a.get()[0], a.get()[1]))));
    }

    @ParameterizedTest(name = "{0} with name {1} works")
    @MethodSource("longestNames")
    void longestName(Op op, String name) throws Exception {
        ok(op.prepare.apply(fx, name).get());
        long ino = fx.lookup(fx.root(), name);
        assertThat(fx.names(fx.root())).contains(name);
        assertThat(fx.asRoot().readDir(fx.root(), "", 0, true).getEntriesList())
                .filteredOn(e -> e.getName().equals(name)).singleElement()
                .satisfies(e -> assertThat(e.getInode()).isEqualTo(ino));
        if (op == Op.MKDIR) {
            ok(fx.asRoot().rmdir(fx.root(), name));
        } else {
            ok(fx.asRoot().unlink(fx.root(), name));
        }
        assertThat(fx.has(fx.root(), name)).isFalse();
    }
}
