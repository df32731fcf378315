package io.cairn.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shapes in which the JDK reports a full disk, and failures that are not one. */
class DiskErrorsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // FileChannel.write on a full file system
                Arguments.of(new IOException("No space left on device"), true),
                // Files.createFile / move: the reason is a FileSystemException's field
                Arguments.of(new FileSystemException("/b/chunks/ab/1.meta", null, "No space left on device"), true),
                Arguments.of(new IOException("Disk quota exceeded"), true),
                Arguments.of(new IOException("write failed", new IOException("No space left on device")), true),
                Arguments.of(new UncheckedIOException(new IOException("No space left on device")), true),
                Arguments.of(new IOException("Input/output error"), false),
                Arguments.of(new NoSuchFileException("/b/chunks/ab/1.data"), false),
                Arguments.of(new IOException((String) null), false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void recognisesAFullFileSystem(Throwable e, boolean full) {
        assertThat(DiskErrors.isNoSpace(e)).isEqualTo(full);
    }

    @Test
    void theMessageNamesTheBrickAndTheFix() {
        String m = DiskErrors.fullMessage(Path.of("/data/b1"), "write to chunk 2a failed",
                new IOException("No space left on device"));
        assertThat(m).isEqualTo("brick /data/b1 is full (No space left on device): write to chunk 2a failed;"
                + " free space on it or add bricks with `cairn volume add-brick`").doesNotContain("\n");
    }
}
