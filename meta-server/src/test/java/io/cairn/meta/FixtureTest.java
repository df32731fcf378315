package io.cairn.meta;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that each get a fresh {@link NamespaceFixture}. */
public abstract class FixtureTest {
    @TempDir
    protected Path dir;
    protected NamespaceFixture fx;

    @BeforeEach
    void openFixture() throws Exception {
        fx = NamespaceFixture.open(dir.resolve("meta"));
    }

    @AfterEach
    void closeFixture() {
        if (fx != null) {
            fx.close();
        }
    }
}
