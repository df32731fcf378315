package io.cairn.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFileIsReplacedWholeAndNoTemporaryIsLeft() throws Exception {
        Path f = tmp.resolve("a/b/c/node.id");
        DurableFiles.createDirectories(f.getParent());
        DurableFiles.write(f, "one\n");
        DurableFiles.write(f, "two\n");
        assertThat(Files.readString(f)).isEqualTo("two\n");
        try (var left = Files.list(f.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("node.id");
        }
        DurableFiles.createDirectories(f.getParent());  // exists: nothing to do
    }
}
