package io.cairn.meta;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of tests that each need a fresh {@link NamespaceFixture}: one store per test class,
 * {@linkplain NamespaceFixture#reset() reset} to its just-set-up state before every test, which
 * is as good as a new store and a hundred times cheaper than opening RocksDB per test.
 * Test classes run one after another (the default), so one static store at a time suffices.
 * After every test the namespace invariants are checked ({@link NamespaceFixture#fsck()}).
 */
public abstract class FixtureTest {
    private static NamespaceFixture shared;
    protected NamespaceFixture fx;

    @BeforeAll
    static void openFixture() {
        shared = NamespaceFixture.openTemp();
    }

    @BeforeEach
    void resetFixture() {
        shared.reset();
        fx = shared;
    }

    /** Whatever a test did, the namespace must still be consistent. */
    @AfterEach
    void checkInvariants() {
        fx.fsck();
    }

    @AfterAll
    static void closeFixture() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}
