package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaReply;
import java.util.function.Supplier;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One row of an errno table: a setup that builds the state and hands back the one mutation
 * under test, which must fail with the expected code and leave the namespace as it was.
 */
@FunctionalInterface
public interface ErrnoCase {
    Supplier<MetaReply> prepare(NamespaceFixture fx);

    static Arguments row(String name, ErrorCode expected, ErrnoCase c) {
        return Arguments.of(Named.of(name, c), expected);
    }

    /** Runs the case: expected code, and for errors an unchanged namespace. */
    static MetaReply check(NamespaceFixture fx, ErrnoCase c, ErrorCode expected) {
        Supplier<MetaReply> op = c.prepare(fx);
        String before = fx.stateDigest();
        MetaReply r = op.get();
        NamespaceFixture.assertCode(r, expected);
        if (expected != ErrorCode.OK) {
            assertThat(fx.stateDigest()).as("a failed mutation leaves no trace").isEqualTo(before);
        }
        fx.fsck();
        return r;
    }
}
