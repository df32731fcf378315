package io.cairn.meta.store;

import io.cairn.meta.store.MetaSchema.Table;

/** Reads of the meta state, either the committed state or a transaction seeing its own writes. */
public interface ReadView {
    /** The value under {@code key}, or null. */
    byte[] get(Table table, byte[] key);

    /**
     * Visits, in key order, the entries whose key starts with {@code prefix} and is at least
     * {@code from} (null: from the prefix itself), until the visitor returns false.
     */
    void scan(Table table, byte[] prefix, byte[] from, EntryVisitor visitor);

    @FunctionalInterface
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }
}
