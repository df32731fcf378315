package io.cairn.bench.suite;

/**
 * Empties the kernel's caches before a read phase so that reads reach the file store, not the
 * page cache of a file just written. Dropping is machine-wide and may be refused (not root, a
 * read-only /proc/sys in a container): the result records whether it worked.
 */
public interface CacheDropper {
    /** Tries to drop the caches; returns whether they were dropped. */
    boolean drop();

    /** A sentence for the results: how caches were dropped, or why not. */
    String note();

    /** Never drops: for tests on a shared machine, where dropping would slow everyone down. */
    CacheDropper NEVER = new CacheDropper() {
        @Override
        public boolean drop() {
            return false;
        }

        @Override
        public String note() {
            return "caches not dropped (disabled)";
        }
    };
}
