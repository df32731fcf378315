package io.cairn.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.brick.BrickLayout;
import io.cairn.proto.state.BrickIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BricksTest {
    static final BrickIdentity A = BrickIdentity.newBuilder().setVolumeUuid("vol-a").setBrickId(1).setNodeUuid("n1").build();
    static final BrickIdentity B = BrickIdentity.newBuilder().setVolumeUuid("vol-b").setBrickId(7).setNodeUuid("n1").build();

    @TempDir
    Path tmp;

    static void assertCode(ThrowingCall call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aClaimedBrickOpensForItsVolumeOnly() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("b1"));
        Bricks.claim(dir, A);
        Bricks.claim(dir, A);  // again: no-op
        assertThat(Bricks.open(dir, A, false).list()).isEmpty();
        assertCode(() -> Bricks.open(dir, B, false), ErrorCode.ALREADY_EXISTS, "vol-a");
        assertCode(() -> Bricks.claim(dir, B), ErrorCode.ALREADY_EXISTS, "use another directory");
    }

    @Test
    void anUnusedBrickIsReleasedToAnEmptyDirectoryAndAUsedOneIsNot() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("b1"));
        Bricks.claim(dir, A);
        Bricks.open(dir, A, false);
        assertThat(Bricks.release(dir, B)).as("another brick's identity").isFalse();
        assertThat(Bricks.release(dir, A)).isTrue();
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        assertThat(Bricks.release(dir, A)).as("again: nothing to release").isFalse();
        Bricks.claim(dir, B);  // the directory can be claimed again

        Path used = Files.createDirectory(tmp.resolve("used"));
        Bricks.claim(used, A);
        Bricks.open(used, A, false).create(5, 1, 64 << 10);
        assertCode(() -> Bricks.release(used, A), ErrorCode.BUSY, "holds data");
        assertThat(Bricks.open(used, A, false).list()).hasSize(1);
    }

    @Test
    void badBrickDirectoriesAreRefusedWithTheFix() throws Exception {
        assertCode(() -> Bricks.claim(tmp.resolve("missing"), A), ErrorCode.NOT_FOUND, "create it first");
        assertCode(() -> Bricks.claim(Path.of("relative/brick"), A), ErrorCode.INVALID_ARGUMENT, "absolute");
        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("someone-elses-file"), "x");
        assertCode(() -> Bricks.claim(full, A), ErrorCode.INVALID_ARGUMENT, "not empty");
        assertThat(Files.exists(full.resolve(BrickLayout.IDENTITY_FILE))).isFalse();
        Path plain = Files.createDirectory(tmp.resolve("plain"));
        assertCode(() -> Bricks.open(plain, A, false), ErrorCode.NOT_FOUND, "is not a brick");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertCode(() -> Bricks.claim(file, A), ErrorCode.NOT_FOUND, "does not exist");
    }

    @Test
    void anUnwritableDirectoryIsRefused() throws Exception {
        Path ro = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (Files.isWritable(ro)) {
                return;  // root ignores modes: nothing to check as root
            }
            assertCode(() -> Bricks.claim(ro, A), ErrorCode.PERMISSION_DENIED, "not writable");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
